#!/usr/bin/env bash
# Checks the container images' Dockerfiles (src/main/docker/Dockerfile.*) without a container engine
# (none runs on the development or CI machines; docs/kubernetes.md, "The image: what is checked"):
#  1. every COPY/ADD source from the build context gets through .dockerignore (Docker's rules: the
#     last matching pattern wins, `!` re-includes, a pattern matching a parent directory covers what
#     is under it); sources outside target/ must exist in the repository;
#  2. every path a RUN writes as a non-root USER is writable by that user: owned by it (COPY --chown,
#     or `mkdir`/`chown` in an earlier root RUN of the same stage) or under /tmp. The base images'
#     own directories (/deployments, /work) belong to root. What a RUN writes: redirections, mkdir,
#     touch, and bin/train-aot.sh's output (its second argument, default <app dir>/app.aot);
#  3. self-test: broken variants (the training script excluded by .dockerignore; the cache written
#     into /deployments as user 185) must fail, so a green run is not a vacuous one.
# Exits non-zero on any problem. Needs python3.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

check() {
  # check ROOT DOCKERIGNORE DOCKERFILE...
  python3 - "$@" <<'PY'
import fnmatch, os, re, shlex, sys

root, ignore_file, dockerfiles = sys.argv[1], sys.argv[2], sys.argv[3:]
problems = []

def patterns():
    result = []
    for line in open(ignore_file):
        line = line.strip()
        if not line or line.startswith('#'):
            continue
        negate = line.startswith('!')
        pat = os.path.normpath(line[1:] if negate else line).lstrip('/')
        result.append((negate, pat))
    return result

def match(pat, path):
    # Go's filepath.Match as Docker uses it: '*' does not cross '/'; '**' crosses directories.
    regex = ''
    i = 0
    while i < len(pat):
        if pat.startswith('**', i):
            regex += '.*'
            i += 2
        elif pat[i] == '*':
            regex += '[^/]*'
            i += 1
        elif pat[i] == '?':
            regex += '[^/]'
            i += 1
        else:
            regex += re.escape(pat[i])
            i += 1
    return re.fullmatch(regex, path) is not None

def included(path, pats):
    excluded = False
    parts = path.split('/')
    for negate, pat in pats:
        # A pattern excludes or re-includes a path if it matches the path or one of its parents.
        hit = any(match(pat, '/'.join(parts[:n])) for n in range(1, len(parts) + 1))
        if hit:
            excluded = not negate
    return not excluded

def instructions(path):
    text = open(path).read().replace('\\\n', ' ')
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith('#'):
            continue
        word, _, rest = line.partition(' ')
        yield n, word.upper(), rest.strip()

ROOT_OWNED = ['/deployments', '/work']          # directories of the base images, owned by root

def owner_of(path, owners):
    best, who = '', 'root'
    for p, u in owners.items():
        if (path == p or path.startswith(p.rstrip('/') + '/')) and len(p) > len(best):
            best, who = p, u
    if not best and (path == '/tmp' or path.startswith('/tmp/')):
        return '*'
    return who

def writable(path, user, owners):
    if user in ('root', '0'):
        return True
    parent = path if path.endswith('/') else os.path.dirname(path)
    who = owner_of(parent.rstrip('/') or '/', owners)
    return who in ('*', user) or who.split(':')[0] == user

def run_writes(cmd):
    writes = []
    for m in re.finditer(r'(?<![0-9&])>>?\s*([^\s;&|]+)', cmd):
        if not m.group(1).startswith('/dev/'):
            writes.append(m.group(1))
    for part in re.split(r'&&|;|\|\|', cmd):
        try:
            words = shlex.split(part)
        except ValueError:
            words = part.split()
        words = [w for w in words if '=' not in w or w.startswith('/')]
        if not words:
            continue
        if words[0] in ('mkdir', 'touch'):
            writes += [w for w in words[1:] if not w.startswith('-')]
        for i, w in enumerate(words):
            if w.endswith('train-aot.sh'):
                args = [a for a in words[i + 1:] if not a.startswith('-')]
                app = args[0] if args else 'target/quarkus-app'
                writes.append(args[1] if len(args) > 1 else app.rstrip('/') + '/app.aot')
    return writes

def run_chowns(cmd):
    found = []
    for part in re.split(r'&&|;', cmd):
        words = part.split()
        if words and words[0] == 'chown':
            args = [w for w in words[1:] if not w.startswith('-')]
            if len(args) >= 2:
                found += [(p, args[0]) for p in args[1:]]
        if words and words[0] == 'mkdir':
            found += [(p, None) for p in words[1:] if not p.startswith('-')]
    return found

pats = patterns()
for df in dockerfiles:
    name = os.path.relpath(df, root)
    user, owners = 'root', {}
    for n, word, rest in instructions(df):
        where = f'{name}:{n}'
        if word == 'FROM':
            user, owners = 'root', {}
        elif word == 'USER':
            user = rest.split()[0]
        elif word in ('COPY', 'ADD'):
            args = shlex.split(rest)
            flags = [a for a in args if a.startswith('--')]
            paths = [a for a in args if not a.startswith('--')]
            chown = next((f.split('=', 1)[1] for f in flags if f.startswith('--chown=')), 'root')
            *sources, dest = paths
            target = dest.rstrip('/')
            if target not in ROOT_OWNED:
                # A directory COPY creates belongs to --chown; one the base image has keeps its owner.
                owners[target] = chown.split(':')[0]
            if any(f.startswith('--from=') for f in flags):
                continue
            for src in sources:
                sample = src.rstrip('/').replace('*', 'x')
                if not included(sample, pats):
                    problems.append(f'{where}: {word} source {src} is excluded by .dockerignore')
                if not src.startswith('target/') and not os.path.exists(os.path.join(root, src)):
                    problems.append(f'{where}: {word} source {src} does not exist in the repository')
        elif word == 'RUN':
            if user in ('root', '0'):
                for path, who in run_chowns(rest):
                    if who:
                        owners[path.rstrip('/')] = who.split(':')[0]
                    else:
                        owners.setdefault(path.rstrip('/'), 'root')
            else:
                for path in run_writes(rest):
                    if not path.startswith('/'):
                        problems.append(f'{where}: RUN as {user} writes the relative path {path}; give an absolute one')
                    elif not writable(path, user, owners):
                        problems.append(f'{where}: RUN as {user} writes {path}, but {os.path.dirname(path)} belongs to '
                                        f'{owner_of(os.path.dirname(path), owners)}')
for p in problems:
    print('dockerfile-check: ' + p, file=sys.stderr)
print(f'dockerfile-check: {len(dockerfiles)} Dockerfile(s), {len(pats)} .dockerignore patterns: '
      + ('FAILED' if problems else 'ok'))
sys.exit(1 if problems else 0)
PY
}

mapfile -t files < <(ls "$ROOT"/src/main/docker/Dockerfile.*)
check "$ROOT" "$ROOT/.dockerignore" "${files[@]}"

# Self-test: each broken variant must fail.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
grep -v '^!bin/train-aot.sh' "$ROOT/.dockerignore" > "$tmp/ignore-without-script"
sed 's#/opt/train/out/app.aot#/deployments/app.aot#' "$ROOT/src/main/docker/Dockerfile.jvm" > "$tmp/Dockerfile.writes-deployments"
grep -q '/deployments/app.aot$' "$tmp/Dockerfile.writes-deployments" || { echo "dockerfile-check: self-test variant not made" >&2; exit 1; }
if check "$ROOT" "$tmp/ignore-without-script" "$ROOT/src/main/docker/Dockerfile.jvm" >/dev/null 2>&1; then
  echo "dockerfile-check: FAILED self-test: a .dockerignore that excludes bin/train-aot.sh passed" >&2; exit 1
fi
if check "$ROOT" "$ROOT/.dockerignore" "$tmp/Dockerfile.writes-deployments" >/dev/null 2>&1; then
  echo "dockerfile-check: FAILED self-test: a training that writes into root-owned /deployments as 185 passed" >&2; exit 1
fi
echo "dockerfile-check: self-test ok (2 broken variants rejected)"
