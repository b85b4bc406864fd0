#!/usr/bin/env bash
# ./dumpflow images: builds dumpflow's images into podman's local store (vfs driver) and prints each
# name, size and image ID:
#   localhost/dumpflow/sidecar:dev       sidecar-emitter/Containerfile
#   localhost/dumpflow/functions:dev     functions/Containerfile
#   localhost/dumpflow/example-app:dev   local-stack/demo/Containerfile (the leaking demo JVM that
#                                        knative/example/ runs; a plain JRE, no dumpflow code)
# Usage: ./dumpflow images [--public-base] [--force] [--only NAME[,NAME]]
#   --public-base  build on the Containerfiles' default public bases (needs a registry); without
#                  it the bases come from Debian's packages and this machine's JDK (images/bases.sh)
#   --force        rebuild even when an image was built from the same inputs
#   --only         build only these of sidecar, functions, example-app (and only their jars)
# Builds the jars first when they are missing or older than their sources. An image whose inputs
# (jar, Containerfile, base) are unchanged is kept, so running it again is quick.
set -euo pipefail
cd "$(dirname "$0")/.."
source images/podman-env.sh

TAG=${DUMPFLOW_IMAGE_TAG:-dev}
public=false force=false only=sidecar,functions,example-app
while [ $# -gt 0 ]; do
  case "$1" in
    --public-base) public=true ;;
    --force) force=true ;;
    --only) shift; only=${1:-} ;;
    --only=*) only=${1#--only=} ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "dumpflow images: unknown argument '$1' (accepted: --public-base, --force, --only)" >&2; exit 2 ;;
  esac
  shift
done
wanted() { [[ ",$only," == *",$1,"* ]]; }
for name in ${only//,/ }; do
  case "$name" in
    sidecar|functions|example-app) ;;
    *) echo "dumpflow images: --only takes sidecar, functions, example-app; not '$name'" >&2; exit 2 ;;
  esac
done
need_tools podman runc
export JAVA_HOME=${JAVA_HOME:-$(bin/jdk25)}

# The jars, when missing or older than a main source or pom they come from (never the tests':
# the example pod test runs this script inside the build that made the jars).
jars=() modules=()
if wanted sidecar; then jars+=(sidecar-emitter/target/dumpflow-sidecar.jar); modules+=(sidecar-emitter); fi
if wanted functions; then jars+=(functions/target/quarkus-app/quarkus-run.jar); modules+=(functions); fi
stale=false
for jar in "${jars[@]}"; do
  if [ ! -f "$jar" ] || [ -n "$(find pom.xml {events,sidecar-emitter,heap-analysis,functions}/pom.xml \
      {events,sidecar-emitter,heap-analysis,functions}/src/main -type f -newer "$jar" -print -quit)" ]; then
    stale=true
  fi
done
if $stale; then
  echo "images: building the jars..."
  modules_list=$(IFS=,; echo "${modules[*]}")
  ./mvnw -B -q -DskipTests package -pl "$modules_list" -am
fi

base_args=()
if ! $public; then
  images/bases.sh
  base_args=(--build-arg JDK_IMAGE=localhost/dumpflow/jdk:25
    --build-arg BASE_IMAGE=localhost/dumpflow/debian:bookworm
    --build-arg JRE_IMAGE=localhost/dumpflow/jre:25)
fi

# A digest of what goes into an image: its Containerfile, the context files it copies, the bases.
inputs() { # containerfile path...
  {
    printf '%s\n' "${base_args[@]}"
    for base in localhost/dumpflow/jdk:25 localhost/dumpflow/debian:bookworm localhost/dumpflow/jre:25; do
      $public || podman image inspect --format '{{.Id}}' "$base"
    done
    find "$@" -type f -print0 | sort -z | xargs -0 sha256sum
  } | sha256sum | cut -c1-16
}

build() { # image containerfile context-dir path...
  local image=$1 file=$2 context=$3
  shift 3
  local digest
  digest=$(inputs "$file" "$@")
  if ! $force && [ "$(image_inputs "$image")" = "$digest" ]; then
    echo "images: $image is up to date"
    return
  fi
  echo "images: building $image..."
  local started=$SECONDS previous
  previous=$(podman image inspect --format '{{.Id}}' "$image" 2>/dev/null || true)
  # One layer per image on top of its base: vfs copies the whole tree for every layer.
  podman build --quiet --layers=false --label dev.dumpflow.inputs="$digest" "${base_args[@]}" \
    -f "$file" -t "$image" "$context" >/dev/null
  echo "images: built $image in $((SECONDS - started)) s"
  # The image it replaces, now untagged: with vfs each one holds a whole copy of its tree.
  if [ -n "$previous" ] && [ "$(podman image inspect --format '{{len .RepoTags}}' "$previous" 2>/dev/null)" = 0 ]; then
    podman rmi "$previous" >/dev/null 2>&1 || true
  fi
}

if wanted sidecar; then
  build "localhost/dumpflow/sidecar:$TAG" sidecar-emitter/Containerfile . \
    sidecar-emitter/runtime.sh sidecar-emitter/jvm.options sidecar-emitter/target/dumpflow-sidecar.jar
fi
if wanted functions; then
  build "localhost/dumpflow/functions:$TAG" functions/Containerfile . functions/target/quarkus-app
fi
if wanted example-app; then
  build "localhost/dumpflow/example-app:$TAG" local-stack/demo/Containerfile local-stack/demo \
    local-stack/demo
fi

podman images --format '{{.Repository}}:{{.Tag}}  {{.Size}}  {{.ID}}' \
  --filter "reference=localhost/dumpflow/*:$TAG"
