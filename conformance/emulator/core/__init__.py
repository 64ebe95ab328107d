"""What every API family of the emulator builds on: store, clock, errors, keys, tokens, policy, MIME, faults."""
