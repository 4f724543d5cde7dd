# SPDX-License-Identifier: MIT
"""Compares two goroutine dumps: the agent's (runtime.Stack text) and the
agentless one, argument lists aside ((...) for ours). usage:
stackcmp.py AGENT OURS  -> prints the differences, exits 1 when there are any.
The agent's own goroutine (the one [running] that serves the request) is
left out of the comparison, and so is the stack of the agent's listener,
which that request wakes (its id must be in both)."""
import sys


def args_start(line):
    depth = 0
    for j in range(len(line) - 1, -1, -1):
        if line[j] == ')':
            depth += 1
        elif line[j] == '(':
            depth -= 1
            if depth == 0:
                return j
    return len(line)


def norm(block):
    out = []
    for l in block.strip().split('\n'):
        if l and not l.startswith(('\t', 'goroutine ', 'created by ', '...')):
            j = args_start(l)
            l = l[:j] + ('()' if l[j:] == '()' else '(...)')
        out.append(l)
    return out


def dump(path):
    blocks = [b for b in open(path).read().split('\n\n') if b.strip()]
    return {b.strip().split('\n')[0]: norm(b) for b in blocks}


def gid(header):
    return header.split(' [')[0]


def listener(block):
    return any(line.startswith('created by ') and 'agent.Listen' in line for line in block)


agent, ours = dump(sys.argv[1]), dump(sys.argv[2])
for k in [k for k in ours if listener(ours[k])]:
    same = [a for a in agent if gid(a) == gid(k) and listener(agent[a])]
    if same:
        agent.pop(same[0])
        agent[k] = ours[k]
bad = 0
for k in agent:
    if k not in ours and '[running]' not in k:
        print('only in the agent\'s dump:', '\n  '.join(agent[k]))
        bad = 1
for k in ours:
    if k not in agent:
        print('only in ours:', '\n  '.join(ours[k]))
        bad = 1
    elif agent[k] != ours[k]:
        print('differs:', k)
        print('  agent: ' + '\n  agent: '.join(agent[k]))
        print('  ours:  ' + '\n  ours:  '.join(ours[k]))
        bad = 1
print(len(ours), 'goroutines compared')
sys.exit(bad)
