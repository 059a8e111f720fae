"""Example clients for the conform kit: one that follows the contract and several that
each break it in one way. The kit must name the property each one breaks."""
