"""Side-by-side comparison: a common timeline over two recordings."""
