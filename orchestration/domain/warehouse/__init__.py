"""The warehouse around the pipeline: paths, the writer lock, publishing, rebuild, summary."""
