// Placeholder so the target is not empty.
