"""What the device and the server agree on to sync: clocks and the mutation wire model."""
