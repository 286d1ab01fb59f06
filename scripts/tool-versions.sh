# Pinned versions of the tools the scripts install; sourced by the other scripts.
OPA_VERSION=1.22.0
MOTO_VERSION=5.2.5
