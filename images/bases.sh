#!/usr/bin/env bash
# Builds the base images from Debian's packages and this machine's JDK 25, for machines that reach
# no container registry (the Containerfiles' defaults are public images; see docs/deploy.md):
#   localhost/dumpflow/debian:bookworm   Debian's essential packages, no docs      (sidecar's final stage)
#   localhost/dumpflow/jdk:25            + the JDK at /opt/java/openjdk             (sidecar's build stage)
#   localhost/dumpflow/jre:25            + a jlinked JRE at /opt/java/openjdk       (functions, example app)
# The JDK and JRE sit where the eclipse-temurin images put them, so one Containerfile fits both.
# Needs root (mmdebstrap) and Debian's package mirror. Usage: images/bases.sh [--force]
set -euo pipefail
cd "$(dirname "$0")/.."
source images/podman-env.sh
need_tools podman runc mmdebstrap

DEBIAN=localhost/dumpflow/debian:bookworm
JDK_IMAGE=localhost/dumpflow/jdk:25
JRE_IMAGE=localhost/dumpflow/jre:25
# A JRE as Temurin's: the Java SE modules and the runtime's own jdk.* modules, none of the tools
# (no jcmd, no attach client, no compiler), so an app image built on it holds no JDK tools.
JRE_MODULES=java.se,jdk.charsets,jdk.crypto.cryptoki,jdk.crypto.ec,jdk.dynalink,jdk.httpserver,jdk.jfr,jdk.jsobject,jdk.management,jdk.management.jfr,jdk.naming.dns,jdk.net,jdk.nio.mapmode,jdk.security.auth,jdk.security.jgss,jdk.unsupported,jdk.xml.dom,jdk.zipfs
JAVA_ENV=(--change "ENV JAVA_HOME=/opt/java/openjdk"
  --change "ENV PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")

force=false
[ "${1:-}" = --force ] && force=true
if ! $force && image_exists "$DEBIAN" && image_exists "$JDK_IMAGE" && image_exists "$JRE_IMAGE"; then
  exit 0
fi

JDK=$(bin/jdk25)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

debootstrap() { # directory [package...]: Debian's essential packages, no docs
  local dir=$1 include=""
  shift
  [ $# -gt 0 ] && include="--include=$(IFS=,; echo "$*")"
  mmdebstrap --quiet --variant=essential --format=directory $include \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/info/*' \
    bookworm "$dir"
  # Nothing of apt's caches belongs in an image.
  rm -rf "$dir/var/cache/apt/"* "$dir/var/lib/apt/lists/"*
}

echo "bases: Debian bookworm from Debian's packages (mmdebstrap)..."
debootstrap "$work/debian"
# jlink --strip-debug runs objcopy, as the eclipse-temurin JDK images have it.
debootstrap "$work/jdk" binutils

import() { # directory image [--change ...]
  local dir=$1 name=$2
  shift 2
  tar --numeric-owner -C "$dir" -c . | podman import --quiet "$@" - "$name" >/dev/null
  echo "bases: $name"
}

import "$work/debian" "$DEBIAN" --change 'CMD ["/bin/bash"]'

mkdir -p "$work/jdk/opt/java"
# Dereferenced: a packaged JDK links its cacerts to /etc/ssl, which the image does not have.
cp -rL "$JDK" "$work/jdk/opt/java/openjdk"
import "$work/jdk" "$JDK_IMAGE" "${JAVA_ENV[@]}" --change 'CMD ["jshell"]'

cp -al "$work/debian" "$work/jre"
mkdir -p "$work/jre/opt/java"
"$JDK/bin/jlink" --add-modules "$JRE_MODULES" --strip-debug --no-man-pages --no-header-files \
  --output "$work/jre/opt/java/openjdk"
"$work/jre/opt/java/openjdk/bin/java" -Xshare:dump >/dev/null
import "$work/jre" "$JRE_IMAGE" "${JAVA_ENV[@]}" --change 'CMD ["java", "-version"]'
