#!/usr/bin/env bash
# build-template.sh NAME [--force]: builds a template's root filesystem from Debian packages
# (debootstrap minbase of bookworm plus the packages templates.conf lists) into
# $CROWNEST_TEMPLATES_DIR/NAME/rootfs. Built in a temporary dir and renamed at the end, so a
# template is either whole or absent; never changed afterwards (sandboxes mount it read-only).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DIR="${CROWNEST_TEMPLATES_DIR:-$HOME/.cache/crownest/templates}"
MIRROR="${CROWNEST_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
SUITE=bookworm
name="${1:?usage: build-template.sh NAME [--force]}"
force="${2:-}"

line="$(awk -v n="$name" '$1 == n {print}' "$HERE/templates.conf")"
[ -n "$line" ] || { echo "unknown template '$name' (see $HERE/templates.conf)" >&2; exit 2; }
read -r _ parent packages <<<"$line"

if [ -d "$DIR/$name/rootfs" ] && [ "$force" != --force ]; then
  echo "template $name exists at $DIR/$name (use --force to rebuild)"; exit 0
fi
command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >/dev/null

mkdir -p "$DIR"
tmp="$(mktemp -d "$DIR/.build-$name.XXXXXX")"
trap 'umount "$tmp/rootfs/proc" 2>/dev/null || true; rm -rf "$tmp"' EXIT
if [ "$parent" = - ]; then
  debootstrap --variant=minbase --include="$packages" "$SUITE" "$tmp/rootfs" "$MIRROR"
else
  [ -d "$DIR/$parent/rootfs" ] || "$0" "$parent"
  cp -a "$DIR/$parent/rootfs" "$tmp/rootfs"
  mount -t proc proc "$tmp/rootfs/proc"
  chroot "$tmp/rootfs" /bin/sh -c "apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $(tr , ' ' <<<"$packages") && apt-get clean"
  umount "$tmp/rootfs/proc"
fi
mkdir -p "$tmp/rootfs/workspace"
rm -rf "$tmp/rootfs/var/lib/apt/lists/"* "$tmp/rootfs/var/cache/apt/archives/"*.deb
cat > "$tmp/template.json" <<JSON
{"name":"$name","parent":"$parent","packages":"$packages","suite":"$SUITE","builtAt":"$(date -u +%FT%TZ)"}
JSON
rm -rf "$DIR/$name"
mv "$tmp" "$DIR/$name"
trap - EXIT
echo "template $name built at $DIR/$name"
