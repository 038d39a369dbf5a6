#!/usr/bin/env python3
"""Run doc/guide.md (tests/guide.sh sets the scene): every command and every
C program in it, in order, in one shell in a fresh directory.

The guide's fenced blocks:
  ```console  "$ COMMAND" lines (a trailing backslash continues a command),
              each followed by the output it must print (stdout and stderr,
              in the order a terminal shows them). In the output, "..." in a
              line stands for any text, a line "..." for any lines (also
              none), and a last line "[exit N]" for the exit status N (else
              the command must succeed).
  ```c        a C program; its first line, a comment "/* NAME.c ... */", is
              the file it is written to (a console block then compiles it).
Other blocks (text, toml, ...) show files and are not run.
"""
import os, re, subprocess, sys

guide, work = sys.argv[1], sys.argv[2]
text = open(guide, encoding='utf-8').read()

steps = []  # (kind, lineno, payload...)
for m in re.finditer(r'^```(\w*)\n(.*?)^```$', text, re.M | re.S):
    lang, body = m.group(1), m.group(2)
    line = text.count('\n', 0, m.start()) + 2
    if lang == 'c':
        first = body.split('\n', 1)[0]
        name = re.match(r'/\* (\S+\.c)\b', first)
        if not name:
            sys.exit('guide.md:%d: a C block must start with /* NAME.c ... */' % (line - 1))
        steps.append(('file', line, name.group(1), body))
    elif lang == 'console':
        lines = body.split('\n')[:-1]
        i = 0
        while i < len(lines):
            if not lines[i].startswith('$ '):
                sys.exit('guide.md:%d: output with no command before it' % (line + i))
            start = line + i
            cmd = lines[i][2:]
            while cmd.endswith('\\'):
                i += 1
                cmd = cmd + '\n' + lines[i]
            i += 1
            out = []
            while i < len(lines) and not lines[i].startswith('$ '):
                out.append(lines[i])
                i += 1
            status = 0
            if out and re.fullmatch(r'\[exit \d+\]', out[-1]):
                status = int(out.pop()[6:-1])
            steps.append(('cmd', start, cmd, out, status))

# One bash runs every command in order (so cd and export carry over), its
# output to a file per step; stdout line-buffered as on a terminal.
runner = ['set +e', 'iotx509_bin=$(command -v iotx509)',
          'iotx509() { stdbuf -oL -eL "$iotx509_bin" "$@"; }']
for n, s in enumerate(steps):
    if s[0] == 'file':
        path = os.path.join(work, '.guide-step%d' % n)
        open(path, 'w').write(s[3])
        runner.append('cp %s %s' % (path, s[2]))
    else:
        path = os.path.join(work, '.guide-step%d' % n)
        open(path, 'w').write(s[2] + '\n')
        runner.append('. %s > %s.out 2>&1 < /dev/null; echo $? > %s.rc' % (path, path, path))
open(os.path.join(work, '.guide-run.sh'), 'w').write('\n'.join(runner) + '\n')
subprocess.run(['bash', os.path.join(work, '.guide-run.sh')], cwd=work)

def pattern(expected):
    rx = ''
    for l in expected:
        if l == '...':
            rx += r'(?:[^\n]*\n)*?'
        else:
            rx += '[^\n]*'.join(re.escape(p) for p in l.split('...')) + r'\n'
    return rx

failed = ncmd = 0
for n, s in enumerate(steps):
    if s[0] != 'cmd':
        continue
    ncmd += 1
    base = os.path.join(work, '.guide-step%d' % n)
    out = open(base + '.out', encoding='utf-8', errors='replace').read()
    rc = int(open(base + '.rc').read())
    if out and not out.endswith('\n'):
        out += '\n'
    ok = re.fullmatch(pattern(s[3]), out) is not None and rc == s[4]
    if not ok:
        failed += 1
        print('FAIL: guide.md:%d: $ %s' % (s[1], s[2]))
        print('  exit status %d (the guide shows %d); output:' % (rc, s[4]))
        print(''.join('  | ' + l + '\n' for l in out.split('\n')[:-1]), end='')
        print('  the guide shows:')
        print(''.join('  | ' + l + '\n' for l in s[3]), end='')
nc = sum(1 for s in steps if s[0] == 'file')
print('%s: %d commands, %d C programs; %d commands differ from the guide' % (
    'FAIL' if failed else 'PASS', ncmd, nc, failed))
sys.exit(1 if failed else 0)
