"""One module per dashboard page; each `render(snapshot)` draws its page from warehouse_data's queries."""
