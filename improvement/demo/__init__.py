"""Demo and scale data, and the commands that build and measure with them."""
