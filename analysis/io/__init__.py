"""Files in and out: track CSVs and durable (atomic) writes."""
