#!/usr/bin/env bash
# build-template.sh NAME [--force]: builds a template's root filesystem from Debian packages
# (debootstrap minbase of bookworm plus the packages templates.conf lists) into
# $CROWNEST_TEMPLATES_DIR/NAME/rootfs, and the same tree as an EROFS image, NAME/rootfs.erofs, which
# gVisor serves inside its sentry (no gofer for the root: faster, and `ls -l` on a symlink is clean). Built in a temporary dir and renamed at the end, so a
# template is either whole or absent; never changed afterwards (sandboxes mount it read-only).
#
# A cached template is rebuilt when it is stale: its templates.conf line (parent and packages)
# differs from what its template.json records, or its parent was rebuilt after it (the parent is
# brought up to date first). The replaced tree is moved to $DIR/.trash, not deleted, because running
# sandboxes still read their root from it; trash older than a day is removed by later builds.
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

# field FILE KEY: a string field of a template.json (written below, one flat object).
field() { sed -n "s/.*\"$2\":\"\([^\"]*\)\".*/\1/p" "$1" 2>/dev/null; }

mkdir -p "$DIR"
# One build of a name at a time (CI and a developer may share the cache); the parent has its own lock.
exec {lock}>"$DIR/.lock-$name"
flock "$lock"

parent_built=-
if [ "$parent" != - ]; then
  "$0" "$parent"
  parent_built="$(field "$DIR/$parent/template.json" builtAt)"
fi

stale_reason() {
  local meta="$DIR/$name/template.json"
  [ -d "$DIR/$name/rootfs" ] && [ -f "$meta" ] || { echo "not built"; return; }
  [ -f "$DIR/$name/rootfs.erofs" ] || { echo "no EROFS image"; return; }
  [ "$(field "$meta" parent)" = "$parent" ] || { echo "parent changed"; return; }
  [ "$(field "$meta" packages)" = "$packages" ] || { echo "packages changed"; return; }
  [ "$(field "$meta" parentBuiltAt)" = "$parent_built" ] || [ "$parent" = - ] || { echo "parent $parent was rebuilt"; return; }
}
reason="$(stale_reason)"
if [ -z "$reason" ] && [ "$force" != --force ]; then
  echo "template $name is up to date at $DIR/$name (use --force to rebuild)"; exit 0
fi
echo "building template $name: ${reason:-forced}"
command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >/dev/null
command -v mkfs.erofs >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q erofs-utils >/dev/null

mkdir -p "$DIR/.trash"
find "$DIR/.trash" -mindepth 1 -maxdepth 1 -mmin +1440 -exec rm -rf {} + 2>/dev/null || true
tmp="$(mktemp -d "$DIR/.build-$name.XXXXXX")"
# A failed build leaves a .failed-NAME mark: the node agent reports the template failed (until a build succeeds).
trap 'rc=$?; umount "$tmp/rootfs/proc" 2>/dev/null || true; rm -rf "$tmp"; [ "$rc" = 0 ] || touch "$DIR/.failed-$name"' EXIT
if [ "$parent" = - ]; then
  debootstrap --variant=minbase --include="$packages" "$SUITE" "$tmp/rootfs" "$MIRROR"
else
  cp -a "$DIR/$parent/rootfs" "$tmp/rootfs"
  mount -t proc proc "$tmp/rootfs/proc"
  chroot "$tmp/rootfs" /bin/sh -c "apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $(tr , ' ' <<<"$packages") && apt-get clean"
  umount "$tmp/rootfs/proc"
fi
# The mount points of every sandbox: runsc would otherwise make them in the shared tree itself.
mkdir -p "$tmp/rootfs/workspace" "$tmp/rootfs/.crownest"
# pip installs into the system interpreter: every sandbox's root is its own writable copy over the
# template (nothing another sandbox or apt on the host could break), so the PEP 668 marker goes, as
# the PEP suggests for container images. Deleting it rather than setting break-system-packages in a
# pip.conf: the marker is what every installer reads (pip, python -m pip, uv); a pip.conf is pip's alone.
rm -f "$tmp/rootfs"/usr/lib/python3*/EXTERNALLY-MANAGED
# Root is the sandbox's only user, so pip's warning about running as root is noise on every install's
# stderr; and its version check would reach out on each run.
if [ -x "$tmp/rootfs/usr/bin/pip3" ]; then
  printf '%s\n' '[global]' 'root-user-action = ignore' 'disable-pip-version-check = true' > "$tmp/rootfs/etc/pip.conf"
fi
rm -rf "$tmp/rootfs/var/lib/apt/lists/"* "$tmp/rootfs/var/cache/apt/archives/"*.deb
# No inline (tail-packed) data: gVisor's EROFS reader then fails to load binaries ("bad address").
mkfs.erofs -E noinline_data "$tmp/rootfs.erofs" "$tmp/rootfs" >/dev/null
# builtAt is the build's identity for children (parentBuiltAt): nanoseconds, so two builds differ.
cat > "$tmp/template.json" <<JSON
{"name":"$name","parent":"$parent","packages":"$packages","suite":"$SUITE","parentBuiltAt":"$parent_built","builtAt":"$(date -u +%FT%T.%NZ)"}
JSON
if [ -d "$DIR/$name" ]; then
  mv "$DIR/$name" "$(mktemp -u "$DIR/.trash/$name.XXXXXX")"
fi
mv "$tmp" "$DIR/$name"
rm -f "$DIR/.failed-$name"
trap - EXIT
echo "template $name built at $DIR/$name"
