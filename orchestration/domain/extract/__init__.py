"""Reading each document: text, typed mentions, facts (schema `extract`)."""
