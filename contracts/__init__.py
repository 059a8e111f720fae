"""What is true about the Runware videoInference contract for P-Video-Animate, and the kit
that checks clients and servers against it.

The contract, defined once: ``models`` (pydantic wire models), ``rules`` (validation and
the error each violation gets), ``errors`` (the catalogue), ``geometry`` (output size,
rate, frames, price), ``choices`` (every [inferred] value), ``cases`` (invalid tasks as
data), ``openapi`` (the document generated from all of the above), ``probe`` (reading
media and checking an output).

The kit: ``strategies`` (public hypothesis strategies), ``verify`` (a server against the
contract), ``conform`` + ``adapters`` + ``report`` (a client against the fake), ``admin``
(the control API's client), ``server`` (the fake in a thread), ``pytest_plugin``.
"""

from contracts.choices import ANIMATE_MODEL
from contracts.errors import CATALOGUE, ApiError

__all__ = ["ANIMATE_MODEL", "ApiError", "CATALOGUE"]
