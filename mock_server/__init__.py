"""The fake Runware service: transports, dispatcher, task handlers, store and media."""
