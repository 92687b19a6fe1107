# SPDX-License-Identifier: GPL-3.0-or-later
#
# synctest – the pieces the sync tests are made of: a real leads-server on
# a free loopback port with a temporary data folder, the fault proxy in
# front of it, real leadsctl clients (each its own --db and --token-file),
# a read-only look at what the server holds for a user (the protocol's own
# pull, with a token of that user), and the comparison of a client's
# leadsctl JSON with that view.
#
# Used by test-sync-faults.py (the normal test run) and tools/sync-soak
# (many seeds). Nothing here is mocked: every piece is a real process on
# loopback.

import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid as uuidlib

HERE = os.path.dirname(os.path.abspath(__file__))
FAULT_PROXY = os.path.join(HERE, 'fault-proxy.py')
PASSWORD = 'correct horse battery staple'


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def http_json(method, url, body=None, token=None, timeout=30):
    """One request without any proxy; returns (status, headers, parsed body or None)."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        req.add_header('Content-Type', 'application/json')
    if token:
        req.add_header('Authorization', 'Bearer ' + token)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(req, timeout=timeout) as r:
            raw = r.read()
            return r.status, dict(r.headers), json.loads(raw) if raw else None
    except urllib.error.HTTPError as e:
        raw = e.read()
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = raw
        return e.code, dict(e.headers), parsed


def wait_until(predicate, what, timeout=30.0):
    """Polls PREDICATE until it is true (readiness of a process, never a
    timed assertion: the deadline only keeps a broken run from hanging)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f'gave up waiting for {what}')
        time.sleep(0.02)


class Server:
    """A real leads-server on 127.0.0.1 with its data in DATA_DIR."""

    def __init__(self, binary, data_dir, extra_args=()):
        self.binary = binary
        self.data_dir = data_dir
        self.extra_args = list(extra_args)   # e.g. ['--max-body', '16384']
        self.port = 0       # chosen by the first start, kept by restarts
        self.proc = None
        self.log_path = os.path.join(data_dir, 'server.log')

    @property
    def url(self):
        return f'http://127.0.0.1:{self.port}'

    def cli(self, *args, stdin=None, check=True):
        p = subprocess.run([self.binary, '--data', self.data_dir, *args], input=stdin,
                           capture_output=True, text=True, timeout=120)
        if check and p.returncode != 0:
            raise RuntimeError(f'leads-server {" ".join(args)} failed ({p.returncode}): '
                               f'{p.stderr.strip()}')
        return p

    def user_add(self, login, name=None, modules=('leads', 'contacts'), admin=False,
                 read_only=False, password=PASSWORD):
        args = ['user', 'add', login, '--name', name or login.capitalize()]
        if modules is not None:
            args += ['--modules', ','.join(modules)]
        if admin:
            args.append('--admin')
        if read_only:
            args.append('--read-only')
        self.cli(*args, stdin=password + '\n')

    def start(self, env=None):
        """Starts the server (on the port of the first start, so clients
        and the proxy find it again after a kill) and waits until it answers."""
        full_env = dict(os.environ)
        full_env.update(env or {})
        self.log_file = open(self.log_path, 'a')
        self.log_file.write(f'--- start {env or ""}\n')
        self.log_file.flush()
        out_path = os.path.join(self.data_dir, 'server.out')
        self.out_file = open(out_path, 'w')
        self.proc = subprocess.Popen([self.binary, '--data', self.data_dir,
                                      '--listen', f'127.0.0.1:{self.port}', *self.extra_args],
                                     stdout=self.out_file, stderr=self.log_file, env=full_env)

        def listening():
            if self.proc.poll() is not None:
                raise RuntimeError(f'leads-server exited with {self.proc.returncode}; '
                                   f'log: {self.log_tail()}')
            with open(out_path) as f:
                for line in f:
                    # "leads-server: listening on http://127.0.0.1:PORT/"
                    if line.startswith('leads-server: listening on '):
                        return int(line.split()[-1].rstrip('/').rsplit(':', 1)[1])
            return 0
        self.port = wait_until(listening, 'the port of leads-server')
        wait_until(self.ready, f'leads-server on port {self.port}')

    def ready(self):
        if self.proc.poll() is not None:
            raise RuntimeError(f'leads-server exited with {self.proc.returncode}; '
                               f'log: {self.log_tail()}')
        try:
            status, _, body = http_json('GET', self.url + '/api/v1/info', timeout=2)
            return status == 200 and body.get('server') == 'leads-server'
        except (OSError, ValueError):
            return False

    def log_tail(self, n=20):
        try:
            with open(self.log_path) as f:
                return ''.join(f.readlines()[-n:])
        except OSError:
            return ''

    def kill(self):
        """SIGKILL: nothing the server did not commit survives."""
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
        if self.proc:
            self.proc.wait()
        self.closed()

    def closed(self):
        self.log_file.close()
        self.out_file.close()
        self.proc = None

    def wait_exit(self, timeout=60):
        """For a server whose crash hook will end it."""
        rc = self.proc.wait(timeout=timeout)
        self.closed()
        return rc

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc:
            self.closed()


class Proxy:
    """fault-proxy.py in front of URL, seeded."""

    def __init__(self, upstream_port, seed, faults=None, clean=False, max_delay_ms=150,
                 huge_mib=None):
        args = [sys.executable, FAULT_PROXY, '--upstream', f'127.0.0.1:{upstream_port}',
                '--seed', str(seed), '--max-delay-ms', str(max_delay_ms)]
        if faults is not None:
            args += ['--faults', faults]
        if clean:
            args.append('--clean')
        if huge_mib is not None:
            args += ['--huge-mib', str(huge_mib)]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
        first = self.proc.stdout.readline().split()
        if first[:3] != ['fault-proxy:', 'listening', 'on']:
            raise RuntimeError(f'fault-proxy did not start: {first}')
        self.port = int(first[3].rsplit(':', 1)[1])
        self.seed = int(first[5])
        # Keep reading its log so that it never blocks on a full pipe.
        self.lines = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line.rstrip('\n'))

    @property
    def url(self):
        return f'http://127.0.0.1:{self.port}'

    def control(self, method, what, body=None):
        return http_json(method, f'{self.url}/__proxy/{what}', body)

    def clean(self):
        assert self.control('POST', 'clean')[0] == 204

    def faults(self):
        assert self.control('POST', 'faults')[0] == 204

    def script(self, entries):
        status, _, body = self.control('POST', 'script', entries)
        assert status == 204, body

    def stats(self):
        return self.control('GET', 'stats')[2]

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)
        self.reader.join(timeout=5)
        self.proc.stdout.close()


class Observer:
    """What the server holds for one user, read through the protocol with
    that user's own token (its own client id; read-only: it never pushes)."""

    def __init__(self, server_url, login, password=PASSWORD):
        self.url = server_url
        self.client_id = str(uuidlib.uuid4())
        status, _, body = http_json('POST', self.url + '/api/v1/auth/login',
                                    {'login': login, 'password': password,
                                     'client_id': self.client_id, 'device': 'synctest'})
        if status != 200:
            raise RuntimeError(f'observer login as {login}: {status} {body}')
        self.token = body['token']

    def pull_all(self, limit=500):
        """Every row from the start: {type: {key: data}} (latest state)."""
        view = {}
        cursor = None
        while True:
            status, _, body = http_json('POST', self.url + '/api/v1/sync/pull',
                                        {'client_id': self.client_id, 'cursor': cursor,
                                         'limit': limit}, token=self.token)
            if status != 200:
                raise RuntimeError(f'pull: {status} {body}')
            for row in body['rows']:
                table = view.setdefault(row['type'], {})
                data = row['data']
                key = data.get('uuid') or (f'{data["kind"]}/{data["key"]}'
                                           if row['type'] == 'key_value' else data.get('login'))
                if row['op'] == 'evict':
                    table.pop(key, None)
                else:
                    table[key] = data
            cursor = body['cursor']
            if not body['has_more']:
                return view


class Client:
    """A real leadsctl with its own database and token file."""

    def __init__(self, leadsctl, folder, name, author=None):
        self.leadsctl = leadsctl
        self.name = name
        self.db = os.path.join(folder, f'{name}.db')
        self.token_file = os.path.join(folder, f'{name}.token')
        self.author = author or name
        self.env = dict(os.environ)
        self.env.update({'LC_ALL': 'C.UTF-8', 'LANGUAGE': '', 'TZ': 'UTC',
                         'HOME': folder, 'XDG_DATA_HOME': os.path.join(folder, 'data'),
                         'XDG_CONFIG_HOME': os.path.join(folder, 'config'),
                         'DBUS_SESSION_BUS_ADDRESS': 'disabled:'})

    def run(self, *args, stdin=None, timeout=300):
        p = subprocess.run([self.leadsctl, '--db', self.db, '--author', self.author, *args],
                           input=stdin, capture_output=True, text=True, timeout=timeout,
                           env=self.env)
        return p.returncode, p.stdout, p.stderr

    def ok(self, *args, stdin=None):
        rc, out, err = self.run(*args, stdin=stdin)
        if rc != 0:
            raise RuntimeError(f'{self.name}: leadsctl {" ".join(args)} failed ({rc}): '
                               f'{err.strip()}')
        return out

    def popen(self, *args):
        return subprocess.Popen([self.leadsctl, '--db', self.db, '--author', self.author,
                                 *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, env=self.env)

    def login(self, url, login, password=PASSWORD, *more):
        return self.ok('login', '--server', url, '--user', login, '--token-file',
                       self.token_file, *more, stdin=password + '\n')

    def snapshot(self):
        """Every row of every table of the database (read-only)."""
        import sqlite3
        con = sqlite3.connect(f'file:{self.db}?mode=ro', uri=True)
        try:
            tables = [r[0] for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%fts%' ORDER BY name")]
            return {t: sorted(con.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)
                    for t in tables}
        finally:
            con.close()

    def sync(self):
        return self.run('sync', '--token-file', self.token_file)

    def status(self):
        return json.loads(self.ok('status', '--format', 'json', '--token-file', self.token_file))

    def leads(self):
        return json.loads(self.ok('lead', 'list', '--format', 'json'))['leads']

    def lead_show(self, lead_id):
        return json.loads(self.ok('lead', 'show', str(lead_id), '--format', 'json'))

    def contacts(self):
        return json.loads(self.ok('contact', 'list', '--format', 'json'))['contacts']


def seeds_from_env(default):
    """LEADS_SYNC_SEEDS=1,2,3 overrides a test's seeds (to replay a failure)."""
    text = os.environ.get('LEADS_SYNC_SEEDS')
    if text:
        return [int(s) for s in text.split(',') if s.strip()]
    return default


def new_rng(seed):
    return random.Random(seed)


# --- Random edits ----------------------------------------------------------

# Lead fields whose changes leadsctl logs in the history (docs/leadsctl.md);
# the workload gives each edit of them a value no other edit uses, so that
# "applied exactly once" can be counted in the server's events.
LOGGED_UNIQUE = ('owner', 'volume_minor')
UNLOGGED_UNIQUE = ('title', 'description')


class Workload:
    """Seeded random edits on several clients, remembering every edit a
    client acknowledged (leadsctl exit 0), to check afterwards that each
    arrived exactly once."""

    def __init__(self, rng, clients):
        self.rng = rng
        self.clients = clients
        self.counter = 0
        self.created = []       # (client, uuid, title)
        self.updates = []       # (client, uuid, field, value)
        self.reports = []       # (client, lead uuid, subject)
        self.deletes = []       # (client, uuid)
        self.contacts = []      # (client, name)
        self.syncs = []         # (client, rc, stderr)
        self.journal = []       # every step, in order, for the failure report

    def unique(self, prefix):
        self.counter += 1
        return f'{prefix}{self.counter}'

    def visible_leads(self, client):
        return client.leads()

    def pick_lead(self, client):
        leads = self.visible_leads(client)
        if not leads:
            return None
        # Most edits go to the few oldest leads, so that clients collide.
        leads.sort(key=lambda lead: lead['id'])
        if self.rng.random() < 0.6:
            leads = leads[:3]
        return self.rng.choice(leads)

    def step(self, client):
        r = self.rng.random()
        if r < 0.15:
            self.add_lead(client)
        elif r < 0.50:
            self.update(client)
        elif r < 0.72:
            self.report(client)
        elif r < 0.76:
            self.delete(client)
        elif r < 0.82:
            self.add_contact(client)
        else:
            self.sync(client)

    def add_lead(self, client):
        title = self.unique(f'Lead {client.name} ')
        args = ['lead', 'add', '--title', title, '--volume', str(self.rng.randrange(1, 100000)),
                '--probability', str(self.rng.randrange(0, 101))]
        if self.rng.random() < 0.3:
            # a contact this client has (a name it does not know would
            # make it create a new company of that name)
            names = sorted(c['name'] for c in client.contacts())
            if names:
                args += ['--contact', self.rng.choice(names)]
        lead_id = int(client.ok(*args).strip())
        uuid = client.lead_show(lead_id)['uuid']
        self.created.append((client.name, uuid, title))

    def update(self, client):
        lead = self.pick_lead(client)
        if lead is None:
            return self.add_lead(client)
        fields = self.rng.sample(LOGGED_UNIQUE + UNLOGGED_UNIQUE + ('probability',),
                                 self.rng.randrange(1, 4))
        assignments = []
        for field in fields:
            if field == 'owner':
                value = self.unique('Owner ')
            elif field == 'volume_minor':
                self.counter += 1
                value = str(1000000 + self.counter)
            elif field == 'title':
                value = self.unique(f'Lead {client.name} ')
            elif field == 'description':
                value = self.unique('Note ')
            else:
                value = str(self.rng.randrange(0, 101))
            assignments.append((field, value))
        client.ok('lead', 'set', str(lead['id']), *[f'{f}={v}' for f, v in assignments])
        self.journal.append(f'{client.name}: set {lead["uuid"]} {assignments}')
        for field, value in assignments:
            self.updates.append((client.name, lead['uuid'], field, value))

    def report(self, client):
        lead = self.pick_lead(client)
        if lead is None:
            return self.add_lead(client)
        subject = self.unique('Report ')
        args = ['report', 'add', str(lead['id']), '--kind', 'call', '--subject', subject]
        if self.rng.random() < 0.4:
            args += ['--probability', str(self.rng.randrange(0, 101))]
        client.ok(*args)
        self.journal.append(f'{client.name}: report {lead["uuid"]} {args[4:]}')
        self.reports.append((client.name, lead['uuid'], subject))

    def delete(self, client):
        lead = self.pick_lead(client)
        if lead is None:
            return
        client.ok('lead', 'delete', str(lead['id']))
        self.journal.append(f'{client.name}: delete {lead["uuid"]}')
        self.deletes.append((client.name, lead['uuid']))

    def add_contact(self, client):
        name = self.unique(f'Company {client.name} ')
        client.ok('contact', 'add', '--name', name)
        self.contacts.append((client.name, name))

    def sync(self, client):
        rc, _, err = client.sync()
        self.journal.append(f'{client.name}: sync -> {rc}')
        self.syncs.append((client.name, rc, err.strip()))


# --- Convergence and the checks --------------------------------------------

LEAD_FIELDS = ('title', 'volume_minor', 'currency', 'probability', 'status', 'phase', 'type',
               'unit', 'owner', 'close_month', 'source', 'description', 'lost_reason',
               'next_follow_up')


def text(value):
    """leadsctl's JSON value in the wire's canonical text form."""
    if value is None:
        return ''
    if isinstance(value, bool):
        return 'true' if value else 'false'
    return str(value)


def settle(clients, max_passes=12):
    """With the faults stopped: syncs every client in turn until two passes
    in a row succeeded everywhere with nothing pending. Returns the number
    of passes; raises with the last errors when it never gets quiet."""
    good = 0
    errors = []
    for n in range(1, max_passes + 1):
        errors = []
        for c in clients:
            rc, _, err = c.sync()
            if rc != 0:
                errors.append(f'{c.name}: sync exit {rc}: {err.strip()}')
        if not errors and all(c.status()['pending'] == 0 for c in clients):
            good += 1
            if good == 2:
                return n
        else:
            good = 0
    raise AssertionError('no quiet state after the faults stopped: ' + '; '.join(errors))


class Checker:
    """Compares clients with the server's view and the workload's record
    of acknowledged edits; collects every difference as one line."""

    def __init__(self):
        self.problems = []

    def fail(self, message):
        self.problems.append(message)

    def client_equals_server(self, client, view):
        contacts = client.contacts()
        uuid_of_contact = {c['id']: c['uuid'] for c in contacts}
        id_of_contact = {c['uuid']: c['id'] for c in contacts}

        server_contacts = {u: c for u, c in view.get('contact', {}).items()
                           if not c.get('deleted')}
        local_contacts = {c['uuid']: c for c in contacts}
        if set(local_contacts) != set(server_contacts):
            self.fail(f'{client.name}: contacts differ: only local '
                      f'{sorted(set(local_contacts) - set(server_contacts))}, only on the server '
                      f'{sorted(set(server_contacts) - set(local_contacts))}')
        for u in set(local_contacts) & set(server_contacts):
            for key in ('name', 'kind'):
                if local_contacts[u][key] != server_contacts[u][key]:
                    self.fail(f'{client.name}: contact {u} {key}: local '
                              f'{local_contacts[u][key]!r}, server {server_contacts[u][key]!r}')

        server_leads = {u: l for u, l in view.get('lead', {}).items() if not l['deleted']}
        local_leads = {l['uuid']: l for l in client.leads()}
        if set(local_leads) != set(server_leads):
            self.fail(f'{client.name}: leads differ: only local '
                      f'{sorted(set(local_leads) - set(server_leads))}, only on the server '
                      f'{sorted(set(server_leads) - set(local_leads))}')

        events = {}
        for e in view.get('event', {}).values():
            events.setdefault(e['lead'], []).append(e)
        activities = {}
        for a in view.get('activity', {}).values():
            activities.setdefault(a['lead'], []).append(a)

        for u in sorted(set(local_leads) & set(server_leads)):
            local, server = local_leads[u], server_leads[u]
            for field in LEAD_FIELDS:
                if text(local[field]) != server['fields'][field]:
                    self.fail(f'{client.name}: lead {u} {field}: local {text(local[field])!r}, '
                              f'server {server["fields"][field]!r}')
            local_contact = uuid_of_contact.get(local['contact_id'], '') \
                if local['contact_id'] is not None else ''
            if local_contact != server['fields']['contact']:
                self.fail(f'{client.name}: lead {u} contact: local {local_contact!r}, '
                          f'server {server["fields"]["contact"]!r}')

            history = client.lead_show(local['id'])['history']
            local_changes = sorted((h['field'], text(h['old']), text(h['new']))
                                   for h in history if h['kind'] == 'change')
            server_changes = []
            for e in events.get(u, []):
                field, old, new = e['field'], text(e['old']), text(e['new'])
                if field == 'contact':
                    field = 'contact_id'
                    old = text(id_of_contact.get(old, old)) if old else ''
                    new = text(id_of_contact.get(new, new)) if new else ''
                server_changes.append((field, old, new))
            server_changes.sort()
            if local_changes != server_changes:
                self.fail(f'{client.name}: lead {u} history changes differ: local '
                          f'{local_changes}, server {server_changes}')
            local_reports = sorted((h['report_kind'], h['subject'], h['text'],
                                    text(h['probability']), text(h['phase']))
                                   for h in history if h['kind'] == 'report')
            server_reports = sorted((a['kind'], a['subject'], a['text'], text(a['probability']),
                                     text(a['phase'])) for a in activities.get(u, []))
            if local_reports != server_reports:
                self.fail(f'{client.name}: lead {u} reports differ: local {local_reports}, '
                          f'server {server_reports}')

        # Every open conflict on the server is on the client, the same; the
        # client may have more only of its own rejections.
        server_conflicts = {c['uuid']: (c['record'], c['field'], text(c['kept']),
                                        text(c['rejected']))
                            for c in view.get('conflict', {}).values() if not c['resolved']}
        local_conflicts = {c['uuid']: c for c in client.status()['conflicts']}
        for u, expected in sorted(server_conflicts.items()):
            c = local_conflicts.get(u)
            got = (c['record'], c['field'], text(c['kept']), text(c['yours'])) if c else None
            if got != expected:
                self.fail(f'{client.name}: conflict {u}: local {got}, server {expected}')
        for u, c in sorted(local_conflicts.items()):
            if u not in server_conflicts and c['kind'] != 'rejected':
                self.fail(f'{client.name}: conflict {u} ({c["kind"]}, {c["field"]}) is not '
                          f'open on the server')

    def exactly_once(self, workload, views):
        """Every acknowledged edit's effect is on the server exactly once.
        VIEWS: the server's views for every user who edited (conflicts are
        only in the pulls of the people concerned)."""
        view = views[0]
        leads = view.get('lead', {})
        events = list(view.get('event', {}).values())
        conflicts = list({u: c for v in views
                          for u, c in v.get('conflict', {}).items()}.values())

        def count_events(lead, field, new=None):
            return sum(1 for e in events if e['lead'] == lead and e['field'] == field
                       and (new is None or e['new'] == new))

        def in_conflict(lead, field, value):
            return any(c['record'] == lead and (c['field'] == field or c['kind'] == 'deleted')
                       and value in text(c['rejected']) for c in conflicts)

        for who, u, title in workload.created:
            if u not in leads:
                self.fail(f'lost: lead {title} ({u}) created on {who} is not on the server')
            n = count_events(u, 'created')
            if n != 1:
                self.fail(f'lead {title} ({u}) has {n} "created" events on the server')

        subjects = {}
        for a in view.get('activity', {}).values():
            subjects[a['subject']] = subjects.get(a['subject'], 0) + 1
        made = {s for _, _, s in workload.reports}
        for who, u, s in workload.reports:
            n = subjects.get(s, 0)
            if n == 0 and leads.get(u, {}).get('deleted') and in_conflict(u, 'report', s):
                continue    # made on a lead deleted meanwhile: kept in a conflict
            if n != 1:
                on_lead = [(c['kind'], c['field'], c['rejected']) for c in conflicts
                           if c['record'] == u]
                self.fail(f'{"lost" if n == 0 else "doubled"}: report {s} made on {who} is on '
                          f'the server {n} times (lead {u} deleted: '
                          f'{leads.get(u, {}).get("deleted")}, its conflicts: {on_lead})')
        for s, n in subjects.items():
            if s not in made:
                self.fail(f'the server has report {s} nobody made')

        for who, u, field, value in workload.updates:
            if field in LOGGED_UNIQUE:
                n = count_events(u, field, value)
                if n > 1:
                    self.fail(f'doubled: {field}={value} of {u} by {who} has {n} events')
                elif n == 0 and not in_conflict(u, field, value):
                    self.fail(f'lost: {field}={value} of {u} by {who}: no event, no conflict')
            elif field in UNLOGGED_UNIQUE:
                lead = leads.get(u)
                current = lead['fields'][field] if lead else None
                later = any(x[1] == u and x[2] == field and x[3] != value
                            for x in workload.updates)
                if current != value and not later and not in_conflict(u, field, value):
                    self.fail(f'lost: {field}={value} of {u} by {who}: not the value, '
                              f'not replaced, not in a conflict')

        for who, u in workload.deletes:
            lead = leads.get(u)
            if lead is None or not lead['deleted']:
                self.fail(f'lost: the delete of {u} by {who}')
            n = count_events(u, 'deleted')
            if n != 1:
                self.fail(f'lead {u} has {n} "deleted" events')

        names = {}
        for c in view.get('contact', {}).values():
            names[c['name']] = names.get(c['name'], 0) + 1
        for who, name in workload.contacts:
            if names.get(name, 0) != 1:
                self.fail(f'contact {name} made on {who} is on the server '
                          f'{names.get(name, 0)} times')


# --- A protocol-level client, for what leadsctl cannot be made to do -------

LEAD_DEFAULTS = {'title': '', 'contact': '', 'volume_minor': '100000', 'currency': 'EUR',
                 'probability': '10', 'status': 'open', 'phase': 'lead', 'type': '',
                 'unit': '', 'owner': '', 'close_month': '', 'source': '', 'description': '',
                 'lost_reason': '', 'next_follow_up': ''}


class RawClient(Observer):
    """Builds mutations as docs/sync-protocol.md specifies and pushes them
    itself: for the same push twice at once and for exact control over
    which mutation of a batch a crashing server reaches."""

    def __init__(self, server_url, login, password=PASSWORD):
        super().__init__(server_url, login, password)
        self.login = login
        self.next_id = 1

    def mutation(self, name, args):
        now = int(time.time() * 1e6)
        m = {'id': self.next_id, 'name': name, 'at': now, 'args': args}
        self.next_id += 1
        return m

    def event(self, lead, field, old, new, activity=None):
        return {'uuid': str(uuidlib.uuid4()), 'lead': lead, 'at': int(time.time() * 1e6),
                'author': self.login, 'field': field, 'old': old, 'new': new,
                'activity': activity}

    def lead_create(self, title, **fields):
        u = str(uuidlib.uuid4())
        now = int(time.time() * 1e6)
        f = dict(LEAD_DEFAULTS, title=title, owner=self.login)
        f.update(fields)
        return u, self.mutation('lead.create', {
            'uuid': u, 'deleted': False, 'fields': f, 'created_at': now, 'updated_at': now,
            'events': [self.event(u, 'created', None, title)]})

    def lead_update(self, lead, base_rev, field, base, value):
        return self.mutation('lead.update', {
            'uuid': lead, 'base_rev': base_rev,
            'fields': {field: {'value': value, 'base': base}},
            'events': [self.event(lead, field, base, value)]})

    def report(self, lead, subject, probability=None, base_probability=None, base_rev=0):
        u = str(uuidlib.uuid4())
        now = int(time.time() * 1e6)
        args = {'uuid': u, 'lead': lead, 'contact': '', 'kind': 'call', 'at': now,
                'subject': subject, 'text': '', 'author': self.login, 'probability': probability,
                'phase': None, 'created_at': now, 'events': []}
        if probability is not None:
            args['lead_update'] = {'base_rev': base_rev, 'fields': {
                'probability': {'value': str(probability), 'base': base_probability}}}
            args['events'] = [self.event(lead, 'probability', base_probability,
                                         str(probability), u)]
        return u, self.mutation('activity.create', args)

    def push(self, mutations, timeout=30):
        return http_json('POST', self.url + '/api/v1/sync/push',
                         {'client_id': self.client_id, 'mutations': mutations},
                         token=self.token, timeout=timeout)


# --- One seeded run --------------------------------------------------------

def run_seed(server_binary, leadsctl, seed, folder, steps=60, faults=None):
    """One seeded run of the fault test (test-sync-faults.py, tools/sync-soak)
    from nothing to the checks: three clients of two users and a
    contacts-only one, STEPS random edits and syncs through the proxy's
    faults, then the faults stop and everything must converge. Returns the
    problems found (empty: all held) and a summary line."""
    rng = new_rng(seed)
    server = Server(server_binary, os.path.join(folder, 'server'))
    os.makedirs(server.data_dir)
    server.user_add('anna')
    server.user_add('ben')
    server.user_add('carl', modules=('contacts',))
    server.start()
    proxy = Proxy(server.port, seed, faults=faults, clean=True)
    try:
        clients = [Client(leadsctl, folder, 'anna-laptop', 'Anna'),
                   Client(leadsctl, folder, 'anna-phone', 'Anna'),
                   Client(leadsctl, folder, 'ben', 'Ben')]
        logins = ['anna', 'anna', 'ben']
        carl = Client(leadsctl, folder, 'carl', 'Carl')
        for c, login in zip(clients, logins):
            c.login(proxy.url, login)
        carl.login(proxy.url, 'carl')

        proxy.faults()
        work = Workload(rng, clients)
        for _ in range(steps):
            work.step(rng.choice(clients))
        for c in clients:
            work.sync(c)
        carl.sync()
        proxy.clean()

        passes = settle(clients + [carl])
        stats = proxy.stats()
        check = Checker()
        views = {login: Observer(server.url, login).pull_all()
                 for login in ('anna', 'ben')}
        for c, login in zip(clients, logins):
            check.client_equals_server(c, views[login])
        check.exactly_once(work, list(views.values()))
        carl_view = Observer(server.url, 'carl').pull_all()
        for kind in ('lead', 'activity', 'event', 'conflict'):
            if carl_view.get(kind):
                check.fail(f'carl (contacts only) was sent {len(carl_view[kind])} {kind} rows')
        check.client_equals_server(carl, carl_view)
        if carl.leads():
            check.fail('carl (contacts only) has leads in his database')

        failed_syncs = sum(1 for _, rc, _ in work.syncs if rc != 0)
        summary = (f'seed {seed}: {len(work.created)} leads, {len(work.updates)} field edits, '
                   f'{len(work.reports)} reports, {len(work.deletes)} deletes, '
                   f'{len(work.contacts)} contacts; {len(work.syncs)} syncs under faults '
                   f'({failed_syncs} failed); proxy {stats["requests"]} requests, '
                   f'actions {stats["actions"]}; quiet after {passes} passes')
        log(summary)
        if check.problems:
            log(f'seed {seed}: the edits:\n  ' + '\n  '.join(work.journal))
            log(f'seed {seed}: proxy log tail:\n  ' + '\n  '.join(proxy.lines[-40:]))
            log(f'seed {seed}: server log tail:\n{server.log_tail(40)}')
            log(f'seed {seed}: failed syncs: ' +
                '; '.join(f'{n}: {e}' for n, rc, e in work.syncs if rc != 0)[:4000])
        return check.problems, summary
    finally:
        proxy.stop()
        server.stop()
