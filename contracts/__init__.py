"""What is true about the Runware videoInference contract for P-Video-Animate.

Everything the fake enforces and everything the test kit checks is defined here once:
the models (``models``), the rules beyond the schema (``rules``), the error catalogue
(``errors``), the output geometry (``geometry``) and our documented choices where the
public contract is silent (``choices``).
"""

from contracts.choices import ANIMATE_MODEL
from contracts.errors import ApiError, CATALOGUE

__all__ = ["ANIMATE_MODEL", "ApiError", "CATALOGUE"]
