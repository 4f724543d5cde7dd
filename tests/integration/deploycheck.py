# SPDX-License-Identifier: MIT
"""Checks of the deployment files under deploy/ (tests/integration/test_deploy.sh).

usage: deploycheck.py manifest DAEMONSET UNIT      the DaemonSet against the
                                                   Kubernetes schema, the daemon's
                                                   needs and the systemd unit
       deploycheck.py podman-args DAEMONSET        podman options that do what the
                                                   DaemonSet's pod asks (one a line)
       deploycheck.py command DAEMONSET            its command and arguments
       deploycheck.py sd-swap SCRAPE OUT SD_FILE   SCRAPE with kubernetes_sd_configs
                                                   (checked) swapped for file_sd
       deploycheck.py dashboard DASHBOARD SCRAPE   the dashboard's structure and
                                                   every expression's metric and label
                                                   names, against a real exposition
       deploycheck.py exprs DASHBOARD              'title<TAB>expr' per target,
                                                   Grafana variables replaced
       deploycheck.py rules DASHBOARD OUT          the expressions as recording rules
                                                   (for promtool check rules)
       deploycheck.py ruletest DASHBOARD OUT       promtool unit tests of the start,
                                                   exit and exit-code panels

A failed check prints what is wrong and exits 1."""
import json
import re
import sys

import yaml

problems = []


def problem(msg):
    problems.append(msg)


def done():
    for p in problems:
        print('  ' + p)
    sys.exit(1 if problems else 0)


# ---- the DaemonSet ----

def load_manifest(path):
    docs = [d for d in yaml.safe_load_all(open(path)) if d is not None]
    by_kind = {d.get('kind'): d for d in docs}
    return docs, by_kind


# Fields newer than the schema python3-kubernetes carries (Kubernetes 1.22):
# (model, field) -> the schema of its value.
NEWER_FIELDS = {
    ('V1SecurityContext', 'appArmorProfile'): {'type': 'str', 'localhostProfile': 'str'},
}


def check_schema(obj, typ, where):
    """Every key is a field of the model typ, every value of its type."""
    import kubernetes.client.models as models
    m = re.match(r'list\[(.*)\]$', typ)
    if m:
        if not isinstance(obj, list):
            problem('%s: want a list (%s), got %r' % (where, typ, obj))
            return
        for i, v in enumerate(obj):
            check_schema(v, m.group(1), '%s[%d]' % (where, i))
        return
    m = re.match(r'dict\(str, (.*)\)$', typ)
    if m:
        if not isinstance(obj, dict):
            problem('%s: want a map (%s)' % (where, typ))
            return
        for k, v in obj.items():
            check_schema(v, m.group(1), '%s.%s' % (where, k))
        return
    simple = {'str': str, 'int': int, 'bool': bool, 'float': (int, float)}
    if typ in simple:
        if not isinstance(obj, simple[typ]) or (typ == 'int' and isinstance(obj, bool)):
            problem('%s: want %s, got %r' % (where, typ, obj))
        return
    if typ in ('object', 'datetime'):
        return
    cls = getattr(models, typ)
    if not isinstance(obj, dict):
        problem('%s: want an object (%s), got %r' % (where, typ, obj))
        return
    fields = {cls.attribute_map[a]: t for a, t in cls.openapi_types.items()}
    for k, v in obj.items():
        if k in fields:
            check_schema(v, fields[k], '%s.%s' % (where, k))
        elif (typ, k) in NEWER_FIELDS:
            shape = NEWER_FIELDS[(typ, k)]
            for kk, vv in (v or {}).items():
                if kk not in shape:
                    problem('%s.%s.%s: no such field' % (where, k, kk))
                elif not isinstance(vv, str):
                    problem('%s.%s.%s: want a string' % (where, k, kk))
        else:
            problem('%s.%s: no such field in %s' % (where, k, typ))


def check_required(obj, typ, where):
    """The client's own validation: required fields and enumerations."""
    from kubernetes.client import ApiClient
    try:
        ApiClient()._ApiClient__deserialize(obj, typ)
    except (ValueError, TypeError) as e:
        problem('%s: %s' % (where, e))


def the_container(ds):
    cs = ds['spec']['template']['spec']['containers']
    if len(cs) != 1:
        problem('want one container, got %d' % len(cs))
    return cs[0]


def unit_settings(path):
    caps, mem = set(), None
    for line in open(path):
        line = line.strip()
        if line.startswith('CapabilityBoundingSet='):
            caps = {c[len('CAP_'):] for c in line.split('=', 1)[1].split()}
        elif line.startswith('MemoryMax='):
            mem = line.split('=', 1)[1]
    return caps, mem


def quantity_bytes(q):
    units = {'Ki': 1 << 10, 'Mi': 1 << 20, 'Gi': 1 << 30, 'K': 1 << 10, 'M': 1 << 20, 'G': 1 << 30}
    m = re.match(r'^(\d+)([KMG]i?)?$', str(q))
    if not m:
        return None
    return int(m.group(1)) * units.get(m.group(2) or '', 1)


# What the daemon needs, and why (the comments in daemonset.yaml say more).
WANT_CAPS = {'BPF', 'PERFMON', 'SYS_PTRACE', 'DAC_READ_SEARCH', 'SYS_RESOURCE'}


def cmd_manifest(path, unit):
    docs, by_kind = load_manifest(path)
    kinds = sorted(d.get('kind', '?') for d in docs)
    if kinds != ['DaemonSet', 'Namespace']:
        problem('want a Namespace and a DaemonSet, got %s' % kinds)
        done()
    ns, ds = by_kind['Namespace'], by_kind['DaemonSet']
    for d, typ in ((ns, 'V1Namespace'), (ds, 'V1DaemonSet')):
        if d.get('apiVersion') != {'V1Namespace': 'v1', 'V1DaemonSet': 'apps/v1'}[typ]:
            problem('%s: apiVersion %r' % (typ, d.get('apiVersion')))
        check_schema(d, typ, d['kind'])
        check_required(d, typ, d['kind'])
    if problems:
        done()
    if ns['metadata']['name'] != 'gops' or ds['metadata'].get('namespace') != 'gops':
        problem('the namespace is not gops')
    if ds['metadata']['name'] != 'gops-daemon':
        problem('the DaemonSet is not named gops-daemon')
    spec = ds['spec']
    pod = spec['template']['spec']
    sel = spec['selector'].get('matchLabels', {})
    labels = spec['template']['metadata'].get('labels', {})
    if not sel or any(labels.get(k) != v for k, v in sel.items()):
        problem('the selector %r does not match the pod labels %r' % (sel, labels))
    if pod.get('hostPID') is not True:
        problem('hostPID is not true')
    if not any(t.get('operator') == 'Exists' and not t.get('key') and not t.get('effect')
               for t in pod.get('tolerations', [])):
        problem('no toleration of every taint (operator: Exists, no key, no effect)')
    ann = spec['template']['metadata'].get('annotations', {})
    if ann.get('prometheus.io/scrape') != 'true' or ann.get('prometheus.io/port') != '9979':
        problem('prometheus.io annotations: %r' % ann)
    c = the_container(ds)
    argv = c.get('command', []) + c.get('args', [])
    if argv[:2] != ['/usr/bin/gops', 'daemon']:
        problem('the container does not run /usr/bin/gops daemon: %r' % argv)

    def opt(name):
        for i, a in enumerate(argv):
            if a == name and i + 1 < len(argv):
                return argv[i + 1]
            if a.startswith(name + '='):
                return a.split('=', 1)[1]
        return None
    if opt('--metrics') != '0.0.0.0:9979':
        problem('--metrics is %r, want 0.0.0.0:9979' % opt('--metrics'))
    if opt('--pin-dir') != '/sys/fs/bpf/gops':
        problem('--pin-dir is %r, want /sys/fs/bpf/gops' % opt('--pin-dir'))
    ports = [p for p in c.get('ports', []) if p.get('name') == 'metrics']
    if len(ports) != 1 or ports[0].get('containerPort') != 9979:
        problem('no containerPort named metrics on 9979: %r' % c.get('ports'))
    for probe in ('readinessProbe', 'livenessProbe'):
        h = c.get(probe, {}).get('httpGet', {})
        if h.get('path') != '/metrics' or h.get('port') not in ('metrics', 9979):
            problem('%s is not an httpGet of /metrics on the metrics port: %r' % (probe, c.get(probe)))
    # Mounts: each one's volume, by path.
    vols = {v['name']: v for v in pod.get('volumes', [])}
    mounts = {m['mountPath']: m for m in c.get('volumeMounts', [])}
    for m in mounts.values():
        if m['name'] not in vols:
            problem('mount %s: no volume %s' % (m['mountPath'], m['name']))
    sc = c.get('securityContext', {})
    privileged = sc.get('privileged') is True

    def host_mount(path, ro):
        m = mounts.get(path)
        if not m or m['name'] not in vols:
            problem('nothing mounted on %s' % path)
            return None
        hp = vols[m['name']].get('hostPath', {})
        if hp.get('path') != path:
            problem('%s is not the host\'s %s: %r' % (path, path, vols[m['name']]))
        if bool(m.get('readOnly')) != ro:
            problem('%s: readOnly is %r' % (path, m.get('readOnly')))
        return m
    bpffs = host_mount('/sys/fs/bpf', False)
    host_mount('/sys/kernel/btf', True)
    if bpffs and bpffs.get('mountPropagation') == 'Bidirectional' and not privileged:
        problem('/sys/fs/bpf: Bidirectional propagation is only allowed in privileged containers')
    for path in mounts:
        if path == '/proc' or path.startswith('/proc/'):
            problem('%s: the runtime mounts /proc (the host\'s, with hostPID); do not mount over it' % path)
    # Capabilities: what the daemon needs, within what the systemd unit grants.
    caps = sc.get('capabilities', {})
    if [d.upper() for d in caps.get('drop', [])] != ['ALL']:
        problem('capabilities.drop is %r, want [ALL]' % caps.get('drop'))
    add = {a.upper().replace('CAP_', '', 1) for a in caps.get('add', [])}
    if add != WANT_CAPS:
        problem('capabilities.add is %s, want %s' % (sorted(add), sorted(WANT_CAPS)))
    unit_caps, unit_mem = unit_settings(unit)
    if not add <= unit_caps:
        problem('capabilities %s are not in %s\'s CapabilityBoundingSet' % (sorted(add - unit_caps), unit))
    if sc.get('allowPrivilegeEscalation') is not False:
        problem('allowPrivilegeEscalation is not false (the unit has NoNewPrivileges=yes)')
    if sc.get('allowPrivilegeEscalation') is False and (privileged or 'SYS_ADMIN' in add):
        problem('allowPrivilegeEscalation: false is refused with privileged or CAP_SYS_ADMIN')
    if sc.get('runAsUser') != 0:
        problem('runAsUser is %r, want 0' % sc.get('runAsUser'))
    if sc.get('seccompProfile', {}).get('type') != 'Unconfined':
        problem('seccompProfile is not Unconfined (the runtimes\' default refuses bpf() without CAP_SYS_ADMIN)')
    res = c.get('resources', {})
    mem = quantity_bytes(res.get('limits', {}).get('memory'))
    if mem is None or mem != quantity_bytes(unit_mem):
        problem('memory limit %r is not the unit\'s MemoryMax=%s' % (res.get('limits', {}).get('memory'), unit_mem))
    if not res.get('limits', {}).get('cpu') or not res.get('requests', {}).get('cpu'):
        problem('no cpu request and limit')
    done()


def cmd_podman_args(path):
    """podman run options for what the pod spec asks, as far as podman can."""
    _, by_kind = load_manifest(path)
    ds = by_kind['DaemonSet']
    pod = ds['spec']['template']['spec']
    c = the_container(ds)
    sc = c.get('securityContext', {})
    out = []
    if pod.get('hostPID'):
        out.append('--pid=host')
    if [d.upper() for d in sc.get('capabilities', {}).get('drop', [])] == ['ALL']:
        out.append('--cap-drop=all')
    for a in sc.get('capabilities', {}).get('add', []):
        a = a.upper()
        out.append('--cap-add=' + (a if a.startswith('CAP_') else 'CAP_' + a))
    if sc.get('seccompProfile', {}).get('type') == 'Unconfined':
        out.append('--security-opt=seccomp=unconfined')
    if sc.get('allowPrivilegeEscalation') is False:
        out.append('--security-opt=no-new-privileges')
    if sc.get('readOnlyRootFilesystem'):
        out.append('--read-only')
    if 'runAsUser' in sc:
        out.append('--user=%d' % sc['runAsUser'])
    vols = {v['name']: v for v in pod.get('volumes', [])}
    prop = {'HostToContainer': 'rslave', 'Bidirectional': 'rshared', 'None': 'rprivate'}
    for m in c.get('volumeMounts', []):
        v = vols[m['name']]
        if 'hostPath' in v:
            opts = ['ro' if m.get('readOnly') else 'rw', prop[m.get('mountPropagation', 'None')]]
            out.append('--volume=%s:%s:%s' % (v['hostPath']['path'], m['mountPath'], ','.join(opts)))
        elif 'emptyDir' in v:
            out.append('--tmpfs=%s:rw' % m['mountPath'])
        else:
            raise SystemExit('volume %s: only hostPath and emptyDir are mapped' % m['name'])
    print('\n'.join(out))


def cmd_command(path):
    _, by_kind = load_manifest(path)
    c = the_container(by_kind['DaemonSet'])
    print('\n'.join(c.get('command', []) + c.get('args', [])))


# ---- the Kubernetes scrape job ----

SD_FIELDS = {'api_server', 'role', 'kubeconfig_file', 'namespaces', 'selectors', 'attach_metadata'}


def cmd_sd_swap(path, out, sd_file):
    cfg = yaml.safe_load(open(path))
    jobs = cfg.get('scrape_configs', [])
    if len(jobs) != 1:
        problem('want one scrape job, got %d' % len(jobs))
        done()
    job = jobs[0]
    sds = job.pop('kubernetes_sd_configs', None)
    if not sds or len(sds) != 1:
        problem('want one kubernetes_sd_configs entry, got %r' % sds)
        done()
    sd = sds[0]
    if set(sd) - SD_FIELDS:
        problem('kubernetes_sd_configs: unknown fields %s' % sorted(set(sd) - SD_FIELDS))
    if sd.get('role') != 'pod':
        problem('kubernetes_sd_configs: role is %r, want pod' % sd.get('role'))
    ns = sd.get('namespaces', {})
    if set(ns) - {'names', 'own_namespace'} or ns.get('names') != ['gops']:
        problem('kubernetes_sd_configs: namespaces is %r, want names: [gops]' % ns)
    keeps = {tuple(r.get('source_labels', [])): r.get('regex') for r in job.get('relabel_configs', [])
             if r.get('action') == 'keep'}
    if keeps.get(('__meta_kubernetes_pod_container_port_name',)) != 'metrics':
        problem('no keep of the port named metrics')
    if not any(r.get('target_label') == 'node' and
               r.get('source_labels') == ['__meta_kubernetes_pod_node_name']
               for r in job.get('relabel_configs', [])):
        problem('the node name is not relabeled into node')
    job['file_sd_configs'] = [{'files': [sd_file], 'refresh_interval': '1s'}]
    yaml.safe_dump(cfg, open(out, 'w'), sort_keys=False)
    done()


# ---- the dashboard ----

TARGET_LABELS = {'job', 'instance', 'node', 'namespace', 'pod'}
FUNCS = {'abs', 'changes', 'count', 'count_over_time', 'increase', 'label_replace', 'last_over_time',
         'max', 'max_over_time', 'min', 'rate', 'sum', 'time', 'topk', 'avg', 'clamp_min', 'delta',
         'deriv', 'histogram_quantile', 'irate', 'resets', 'scalar', 'vector', 'absent', 'group'}
KEYWORDS = {'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or', 'unless',
            'offset', 'bool'}
GRAFANA_VARS = {'__range': '1h', '__rate_interval': '5m', '__interval': '1m'}


def substitute(expr):
    """Grafana's variables: time ones by a duration, the rest by a match-all regex."""
    def rep(m):
        name = m.group(1) or m.group(2)
        return GRAFANA_VARS.get(name, '.*')
    return re.sub(r'\$\{(\w+)\}|\$(\w+)', rep, expr)


def exposition(path):
    """Metric names (from # TYPE) and the label names seen on each."""
    names, labels = set(), {}
    for line in open(path):
        m = re.match(r'# TYPE (\S+) ', line)
        if m:
            names.add(m.group(1))
            labels.setdefault(m.group(1), set())
            continue
        m = re.match(r'([a-zA-Z_:][a-zA-Z0-9_:]*)\{(.*)\} ', line)
        if m:
            labels.setdefault(m.group(1), set()).update(re.findall(r'([a-zA-Z_]\w*)="', m.group(2)))
    return names, labels


def panel_targets(dash):
    for p in dash.get('panels', []):
        subs = p.get('panels', []) if p.get('type') == 'row' else [p]
        for q in subs:
            for t in q.get('targets', []):
                yield q, t


def check_expr(title, expr, names, labels):
    e = substitute(expr)
    strip = re.sub(r'"(?:[^"\\]|\\.)*"', '""', e)
    selectors = re.findall(r'([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{([^}]*)\}', strip)
    metrics = set()
    for name, body in selectors:
        if name in FUNCS or name in KEYWORDS:
            continue
        metrics.add(name)
        for lab in re.findall(r'([a-zA-Z_]\w*)\s*(?:=~|!~|!=|=)', body):
            if lab not in labels.get(name, set()) | TARGET_LABELS:
                problem('%s: %s has no label %s (it has %s)' %
                        (title, name, lab, sorted(labels.get(name, set()))))
    rest = re.sub(r'\{[^}]*\}', ' ', strip)
    grouping = re.findall(r'\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)', rest)
    rest = re.sub(r'\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)', ' ', rest)
    rest = re.sub(r'\[[^\]]*\]', ' ', rest)
    rest = re.sub(r'\b\d+(?:\.\d+)?(?:e[+-]?\d+)?\b', ' ', rest)
    for tok in re.findall(r'[a-zA-Z_:][a-zA-Z0-9_:]*', rest):
        if tok in FUNCS or tok in KEYWORDS:
            continue
        metrics.add(tok)
    for m in metrics:
        if m not in names:
            problem('%s: %s is not a metric the daemon serves' % (title, m))
    have = set(TARGET_LABELS)
    for m in metrics:
        have |= labels.get(m, set())
    for g in grouping:
        for lab in [x.strip() for x in g.split(',') if x.strip()]:
            if lab not in have:
                problem('%s: grouping by %s, which none of %s has' % (title, lab, sorted(metrics)))
    return metrics


# The daemon's series each panel family must show (the dashboard's brief).
WANT_METRICS = {
    'go_goroutines', 'go_memstats_heap_inuse_bytes', 'go_memstats_heap_alloc_bytes', 'go_gc_cycles_total',
    'go_memstats_next_gc_bytes', 'go_sched_gomaxprocs_threads', 'go_threads',
    'gops_go_process_start_time_seconds', 'gops_go_process_exits_total', 'gops_daemon_events_total',
    'gops_daemon_events_lost_total', 'gops_daemon_resyncs_total', 'gops_daemon_scrape_duration_seconds',
    'gops_daemon_table_rows', 'gops_daemon_table_capacity',
}


def cmd_dashboard(path, scrape):
    dash = json.load(open(path))
    names, labels = exposition(scrape)
    if not 36 <= dash.get('schemaVersion', 0) <= 39:
        problem('schemaVersion %r' % dash.get('schemaVersion'))
    tvars = {v.get('name'): v for v in dash.get('templating', {}).get('list', [])}
    ds = tvars.get('datasource', {})
    if ds.get('type') != 'datasource' or ds.get('query') != 'prometheus':
        problem('no datasource variable of type prometheus: %r' % ds)
    for v in ('node', 'instance', 'container_id', 'name'):
        if tvars.get(v, {}).get('type') != 'query':
            problem('no query variable %s' % v)
        else:
            q = tvars[v]['query']
            q = q['query'] if isinstance(q, dict) else q
            m = re.match(r'label_values\((.*),\s*(\w+)\)$', q)
            if not m or m.group(2) != v:
                problem('variable %s: %r is not label_values(..., %s)' % (v, q, v))
            else:
                check_expr('variable ' + v, m.group(1), names, labels)
    ids, seen = set(), set()
    for p in dash.get('panels', []):
        if p.get('id') in ids:
            problem('panel id %r twice' % p.get('id'))
        ids.add(p.get('id'))
        g = p.get('gridPos', {})
        if g.get('x', 0) + g.get('w', 0) > 24:
            problem('%s: wider than the grid' % p.get('title'))
        if p.get('type') != 'row' and not p.get('targets'):
            problem('%s: no query' % p.get('title'))
    for p, t in panel_targets(dash):
        title = p.get('title')
        if (t.get('datasource') or p.get('datasource') or {}).get('uid') != '${datasource}':
            problem('%s: not on the datasource variable' % title)
        if not t.get('expr'):
            problem('%s: a target with no expression' % title)
            continue
        seen |= check_expr(title, t['expr'], names, labels)
    if WANT_METRICS - seen:
        problem('no panel shows %s' % sorted(WANT_METRICS - seen))
    code2 = [o for p, _ in panel_targets(dash) for o in p.get('fieldConfig', {}).get('overrides', [])
             if o.get('matcher', {}).get('options') == 'code 2' and
             any(pr.get('id') == 'color' and pr.get('value', {}).get('fixedColor') == 'red'
                 for pr in o.get('properties', []))]
    if not code2:
        problem('exit code 2 is not highlighted (no red override of "code 2")')
    done()


def cmd_exprs(path):
    dash = json.load(open(path))
    for p, t in panel_targets(dash):
        print('%s\t%s' % (p.get('title'), substitute(t['expr'])))


def cmd_rules(path, out):
    dash = json.load(open(path))
    rules = [{'record': 'dashboard:panel_%d_%s' % (p['id'], t['refId']), 'expr': substitute(t['expr'])}
             for p, t in panel_targets(dash)]
    yaml.safe_dump({'groups': [{'name': 'dashboard', 'rules': rules}]}, open(out, 'w'), sort_keys=False)


def expr_of(dash, title_prefix):
    hits = [t['expr'] for p, t in panel_targets(dash) if p.get('title', '').startswith(title_prefix)]
    if len(hits) != 1:
        raise SystemExit('want one panel titled %r..., got %d' % (title_prefix, len(hits)))
    return substitute(hits[0])


def cmd_ruletest(path, out):
    """What the start and exit panels should say about a known history.

    One node (n1), one minute between scrapes. Daemon pod i1 is replaced by
    i2 at 33m (a rollout: the same processes, another instance label).
      pid 1 "old"  host, started at 0 s, seen by i1 until 32m, by i2 after
      pid 2 "b"    container C, started at 2000 s (33m20s), still running
      pid 3 "c"    container C, started at 1200 s, gone after 33m (exited)
      pid 4 "new"  host, started at 2100 s (35m), still running
      pid 5 "mid"  container C, started at 1870 s, seen by i1 at 32m, by i2 after
    At 36m (2160 s) the 5-minute window holds: starts C 2 (pids 2 and 5, each
    once though two pods saw pid 5) and host 1 (pid 4); exits C 1 (pid 3), and
    no host exit (the rollout is not one)."""
    dash = json.load(open(path))
    base = 'gops_go_process_start_time_seconds{job="gops",node="n1",instance="%s",pid="%s",name="%s",container_id="%s"}'
    series = [
        (base % ('i1', 1, 'old', ''), '0x32 stale'),
        (base % ('i2', 1, 'old', ''), '_x33 0x20'),
        (base % ('i2', 2, 'b', 'C'), '_x34 2000x10'),
        (base % ('i1', 3, 'c', 'C'), '_x20 1200x12 stale'),
        (base % ('i2', 4, 'new', ''), '_x35 2100x10'),
        (base % ('i1', 5, 'mid', 'C'), '_x32 1870 stale'),
        (base % ('i2', 5, 'mid', 'C'), '_x33 1870x10'),
        ('gops_go_process_exits_total{job="gops",node="n1",instance="i2",name="p",code="2"}', '0x10 1x20'),
        ('gops_go_process_exits_total{job="gops",node="n1",instance="i2",name="p",code="1"}', '0x30'),
        ('gops_go_process_exits_total{job="gops",node="n1",instance="i2",name="p",signal="9"}', '0x5 1x25'),
        ('gops_go_process_exits_total{job="gops",node="n1",instance="i2",name="q",code="2",cause="panic"}', '0x20 1x50'),
        ('gops_go_process_exits_total{job="gops",node="n1",instance="i2",name="q",code="2",cause="exit"}', '0x5 1x65'),
        ('gops_go_process_exits_total{job="gops",node="n1",instance="i2",name="q",signal="9",cause="oom"}', '0x12 2x58'),
    ]
    starts = expr_of(dash, 'Go process starts by container')
    exits = expr_of(dash, 'Go process exits by container')
    codes = expr_of(dash, 'Exits by code')
    signals = expr_of(dash, 'Exits by signal')
    crashes = expr_of(dash, 'Crashes by program and cause')
    tests = [{
        'interval': '1m',
        'input_series': [{'series': s, 'values': v} for s, v in series],
        'promql_expr_test': [
            {'expr': starts, 'eval_time': '36m',
             'exp_samples': [{'labels': '{container_id="C"}', 'value': 2},
                             {'labels': '{container_id="host"}', 'value': 1}]},
            {'expr': exits, 'eval_time': '36m',
             'exp_samples': [{'labels': '{container_id="C"}', 'value': 1}]},
            # Once pid 3's last sighting leaves the window, no exit is left.
            {'expr': exits, 'eval_time': '40m', 'exp_samples': []},
            {'expr': codes, 'eval_time': '15m',
             'exp_samples': [{'labels': '{code="1"}', 'value': 0}, {'labels': '{code="2"}', 'value': 1}]},
            {'expr': signals, 'eval_time': '10m',
             'exp_samples': [{'labels': '{signal="9"}', 'value': 1}]},
            # A silent exit 2 is not a crash; the panic and the OOM kill are.
            {'expr': crashes, 'eval_time': '65m',
             'exp_samples': [{'labels': '{name="q",cause="panic"}', 'value': 1},
                             {'labels': '{name="q",cause="oom"}', 'value': 2}]},
        ],
    }]
    yaml.safe_dump({'rule_files': [], 'evaluation_interval': '1m', 'tests': tests}, open(out, 'w'),
                   sort_keys=False)


if __name__ == '__main__':
    cmds = {'manifest': cmd_manifest, 'podman-args': cmd_podman_args, 'command': cmd_command,
            'sd-swap': cmd_sd_swap, 'dashboard': cmd_dashboard, 'exprs': cmd_exprs,
            'rules': cmd_rules, 'ruletest': cmd_ruletest}
    if len(sys.argv) < 2 or sys.argv[1] not in cmds:
        sys.exit(__doc__)
    cmds[sys.argv[1]](*sys.argv[2:])
