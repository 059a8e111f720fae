"""Every value the fake chooses where the public contract is silent ([inferred]).

Keeping them in one module means a single place to change when the real service is
observed to behave differently, and one place the README's table is written from.
"""

from __future__ import annotations

ANIMATE_MODEL = "prunaai:p-video@animate"

#: Upper bound on ``positivePrompt`` length, in characters (the lower bound is 1).
PROMPT_MAX_LENGTH = 3000
#: Largest ``numberResults`` accepted for one task.
NUMBER_RESULTS_MAX = 4
#: ``seed`` range: Runware seeds are positive 63-bit integers.
SEED_MIN = 1
SEED_MAX = 9223372036854775807
#: ``outputQuality`` bounds and default.
OUTPUT_QUALITY_MIN = 20
OUTPUT_QUALITY_MAX = 99
OUTPUT_QUALITY_DEFAULT = 95
#: ``ttl`` bounds in seconds (lifetime of an output URL).
TTL_MIN = 1
TTL_MAX = 30 * 24 * 3600

#: Real speed: about 5 s of compute per second of output. The fake multiplies by a time scale.
COMPUTE_SECONDS_PER_OUTPUT_SECOND = 5.0
#: Default time scale of ``runware-mock serve``: a 10 s video is ready after 5 s.
DEFAULT_TIME_SCALE = 0.1

#: Generations that run at once; later ones wait in a queue (as on the real service).
CONCURRENT_GENERATIONS = 2

#: Media fetch caps for URL inputs.
FETCH_TIMEOUT_SECONDS = 30.0
#: Waits between retries of a refused connection when fetching a URL input.
FETCH_CONNECT_RETRIES = (0.25, 0.5, 1.0)
IMAGE_MAX_BYTES = 20 * 1024 * 1024
#: Largest reference image accepted, in pixels (guards against decompression bombs).
IMAGE_MAX_PIXELS = 40_000_000
VIDEO_MAX_BYTES = 200 * 1024 * 1024
#: Longest source video accepted, in seconds.
SOURCE_MAX_SECONDS = 120.0
#: Largest REST body accepted, in bytes (base64 images make bodies large).
REQUEST_MAX_BYTES = 64 * 1024 * 1024
#: Largest number of tasks in one request.
BATCH_MAX_TASKS = 100

#: WebSocket: idle connections close after this many seconds without a client message [doc].
WS_IDLE_SECONDS = 120.0
#: WebSocket: results a dropped socket could not receive are kept this long for a resume [doc].
WS_RESUME_SECONDS = 120.0
#: Largest WebSocket frame answered with an ``errors`` frame rather than a close.
WS_MAX_FRAME_BYTES = REQUEST_MAX_BYTES

#: webhookURL / uploadEndpoint: attempts in all, first retry delay (doubling), per-try timeout.
DELIVERY_ATTEMPTS = 4
DELIVERY_FIRST_BACKOFF_SECONDS = 0.5
DELIVERY_TIMEOUT_SECONDS = 10.0

#: Price per second of output, USD [doc].
PRICE_PER_SECOND = {"720p": 0.03, "1080p": 0.06}

#: Where error items point their ``documentation`` field.
DOCS_BASE = "https://runware.ai/docs"
