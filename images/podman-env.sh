# Sourced by dumpflow's image scripts: podman as these hosts need it (see containers.conf).
# The tests build the same command line (ExamplePodIT's Podman).
export CONTAINERS_CONF=${CONTAINERS_CONF:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/containers.conf}

need_tools() { # tool...
  local missing=()
  for tool in "$@"; do command -v "$tool" >/dev/null || missing+=("$tool"); done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "dumpflow images: missing ${missing[*]}; on Debian: apt-get install podman runc mmdebstrap uidmap" >&2
    exit 1
  fi
}

podman() { command podman --storage-driver vfs "$@"; }

image_exists() { podman image exists "$1"; }

# The inputs hash an image was built from (label dev.dumpflow.inputs), or nothing.
image_inputs() { podman image inspect --format '{{index .Labels "dev.dumpflow.inputs"}}' "$1" 2>/dev/null || true; }
