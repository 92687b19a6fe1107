#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Tests of leads-server: the real binary on loopback, real HTTP (urllib),
# a temporary data folder, no mocks.
#
#   test-server.py PATH/TO/leads-server [unittest arguments, e.g. a TestCase name]
#
# The server listens on 127.0.0.1:0 and prints the port it got. Password
# hashing uses the cheap test parameters (LEADS_SERVER_TEST_CHEAP_HASH=1);
# the crash tests use the test-only hook LEADS_SERVER_CRASH=POINT:N.

import http.client
import json
import os
import signal
import sqlite3
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.request
import uuid as uuidlib

SERVER = None
PASSWORD = 'correct horse'

LEAD_FIELDS = ['title', 'contact', 'volume_minor', 'currency', 'probability', 'status', 'phase',
               'type', 'unit', 'owner', 'close_month', 'source', 'description', 'lost_reason',
               'next_follow_up']


def new_uuid():
    return str(uuidlib.uuid4())


def lead_record(uuid, title='Pumps', **fields):
    values = {name: '' for name in LEAD_FIELDS}
    values.update({'title': title, 'volume_minor': '125000', 'currency': 'EUR', 'probability': '40',
                   'status': 'open', 'phase': 'proposal'})
    values.update(fields)
    return {'uuid': uuid, 'deleted': False, 'fields': values, 'created_at': 1, 'updated_at': 1}


def event(lead, field, old, new):
    return {'uuid': new_uuid(), 'lead': lead, 'at': 5, 'author': 'x', 'field': field,
            'old': old, 'new': new, 'activity': None}


class Server:
    """One leads-server process on a data folder."""

    def __init__(self, data, extra_args=(), env=None, tls=None):
        self.data = data
        self.extra_args = list(extra_args)
        self.env = dict(os.environ)
        self.env.update({'LEADS_SERVER_TEST_CHEAP_HASH': '1', 'LC_ALL': 'C.UTF-8', 'LANGUAGE': ''})
        self.env.pop('LEADS_SERVER_CRASH', None)
        self.env.update(env or {})
        self.tls = tls
        self.proc = None
        self.base = None

    def cli(self, *args, password=None):
        return subprocess.run([SERVER, '--data', self.data] + list(args), env=self.env,
                              input=(password + '\n') if password is not None else '',
                              capture_output=True, text=True, timeout=60)

    def start(self):
        args = [SERVER, '--data', self.data, '--listen', '127.0.0.1:0'] + self.extra_args
        if self.tls:
            args += ['--tls-cert', self.tls[0], '--tls-key', self.tls[1]]
        self.proc = subprocess.Popen(args, env=self.env, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if 'listening on' not in line:
            raise RuntimeError('server did not start: %r %r' % (line, self.proc.stderr.read()))
        self.base = line.split('listening on ')[1].strip().rstrip('/')
        return self

    def stop(self, sig=signal.SIGTERM):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            self.proc.wait(timeout=60)
        if self.proc:
            self.proc.stdout.close()
            self.proc.stderr.close()
        code = self.proc.returncode if self.proc else None
        self.proc = None
        return code

    def request(self, method, path, body=None, token=None, raw=None, context=None):
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header('Content-Type', 'application/json')
        if token is not None:
            req.add_header('Authorization', 'Bearer ' + token)
        try:
            with urllib.request.urlopen(req, timeout=60, context=context) as resp:
                text = resp.read()
                return resp.status, resp.headers, (json.loads(text) if text else None)
        except urllib.error.HTTPError as e:
            text = e.read()
            try:
                parsed = json.loads(text)
            except ValueError:
                parsed = text
            return e.code, e.headers, parsed

    def login(self, login, client_id=None, password=PASSWORD):
        client_id = client_id or new_uuid()
        status, _, body = self.request('POST', '/api/v1/auth/login',
                                       {'login': login, 'password': password, 'client_id': client_id,
                                        'device': 'test'})
        assert status == 200, (status, body)
        return Client(self, body['token'], client_id)


class Client:
    """A sync client: a token, a client id and its mutation counter."""

    def __init__(self, server, token, client_id):
        self.server = server
        self.token = token
        self.client_id = client_id
        self.next_id = 1

    def mutation(self, name, args):
        m = {'id': self.next_id, 'name': name, 'at': 1, 'args': args}
        self.next_id += 1
        return m

    def push(self, *mutations):
        return self.server.request('POST', '/api/v1/sync/push',
                                   {'client_id': self.client_id, 'mutations': list(mutations)},
                                   token=self.token)

    def push_ok(self, *mutations):
        status, _, body = self.push(*mutations)
        assert status == 200, (status, body)
        return body['results']

    def pull(self, cursor=None, limit=500):
        return self.server.request('POST', '/api/v1/sync/pull',
                                   {'client_id': self.client_id, 'cursor': cursor, 'limit': limit},
                                   token=self.token)

    def pull_all(self):
        """Every row this client gets, latest state per (type, key)."""
        cursor, rows = None, {}
        while True:
            status, _, page = self.pull(cursor)
            assert status == 200, (status, page)
            for row in page['rows']:
                data = row['data']
                key = data.get('uuid') or data.get('login') or (data.get('kind'), data.get('key'))
                rows[(row['type'], key)] = data
            cursor = page['cursor']
            if not page['has_more']:
                return rows, page


class ServerTestCase(unittest.TestCase):
    maxDiff = None
    server_args = ()

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix='leads-server-test-')
        self.data = os.path.join(self.tmp.name, 'data')
        self.server = Server(self.data, self.server_args)
        self.add_user('admin', '--admin')
        self.add_user('anna')
        self.add_user('ben')
        self.server.start()

    def tearDown(self):
        self.server.stop()
        self.tmp.cleanup()

    def add_user(self, login, *options):
        result = self.server.cli('user', 'add', login, '--name', login.title(), *options, password=PASSWORD)
        self.assertEqual(result.returncode, 0, result.stderr)

    def assertEnvelope(self, answer, status, code):
        self.assertEqual(answer[0], status, answer[2])
        self.assertIsInstance(answer[2], dict, answer[2])
        self.assertEqual(answer[2]['error']['code'], code, answer[2])
        self.assertTrue(answer[2]['error']['message'])


class TestUserCli(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix='leads-server-cli-')
        self.server = Server(os.path.join(self.tmp.name, 'data'))

    def tearDown(self):
        self.tmp.cleanup()

    def users(self):
        result = self.server.cli('user', 'list')
        self.assertEqual(result.returncode, 0, result.stderr)
        lines = result.stdout.strip().split('\n')
        self.assertEqual(lines[0], 'login\tname\tadmin\tread_only\tmodules\tactive')
        return {line.split('\t')[0]: line.split('\t') for line in lines[1:]}

    def test_migrations_and_a_newer_database(self):
        db = os.path.join(self.server.data, 'leads-server.db')
        r = self.server.cli('user', 'list')
        self.assertEqual(r.returncode, 0, r.stderr)
        with sqlite3.connect(db) as con:
            version = con.execute('PRAGMA user_version').fetchone()[0]
            epoch = con.execute("SELECT value FROM meta WHERE key = 'epoch'").fetchone()[0]
        self.assertEqual(version, len(os.listdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'src', 'server', 'migrations'))))
        # opened again: no migration runs twice, nothing is seeded again
        r = self.server.cli('user', 'list')
        self.assertEqual(r.returncode, 0, r.stderr)
        with sqlite3.connect(db) as con:
            self.assertEqual(con.execute('PRAGMA user_version').fetchone()[0], version)
            self.assertEqual(con.execute("SELECT value FROM meta WHERE key = 'epoch'").fetchone()[0], epoch)
            con.execute('PRAGMA user_version = %d' % (version + 1))
        # a database from a newer leads-server is refused and left alone
        r = self.server.cli('user', 'list')
        self.assertNotEqual(r.returncode, 0)
        self.assertIn('newer version of leads-server', r.stderr)
        self.assertIn('schema %d, this version knows %d' % (version + 1, version), r.stderr)
        with sqlite3.connect(db) as con:
            self.assertEqual(con.execute('PRAGMA user_version').fetchone()[0], version + 1)

    def test_killed_between_migration_and_seed(self):
        """A first start killed after the migrations but before the seed
        (its own transaction) leaves the schema without an epoch, key
        values or changes: the next start seeds it, once."""
        db = os.path.join(self.server.data, 'leads-server.db')
        r = self.server.cli('user', 'list')
        self.assertEqual(r.returncode, 0, r.stderr)
        with sqlite3.connect(db) as con:
            n_kv = con.execute('SELECT count(*) FROM key_value').fetchone()[0]
            con.execute('DELETE FROM meta')
            con.execute('DELETE FROM key_value')
            con.execute('DELETE FROM changes')
        r = self.server.cli('user', 'list')
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn('seeding it now', r.stderr)
        with sqlite3.connect(db) as con:
            epoch = con.execute("SELECT value FROM meta WHERE key = 'epoch'").fetchone()[0]
            self.assertEqual(len(epoch), 36)
            self.assertEqual(con.execute('SELECT count(*) FROM key_value').fetchone()[0], n_kv)
            self.assertEqual(con.execute("SELECT count(*) FROM changes WHERE type = 'key_value'").fetchone()[0], n_kv)
        # seeded once: the next start keeps it
        r = self.server.cli('user', 'list')
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn('seeding', r.stderr)
        with sqlite3.connect(db) as con:
            self.assertEqual(con.execute("SELECT value FROM meta WHERE key = 'epoch'").fetchone()[0], epoch)

    def test_add_list_set_disable_passwd(self):
        r = self.server.cli('user', 'add', 'anna', '--name', 'Anna Berg', '--admin', password='s3cret-pass')
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.server.cli('user', 'add', 'ben', '--name', 'Ben Roth', '--modules', 'leads', '--read-only',
                            password='another-pass')
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.users(), {
            'anna': ['anna', 'Anna Berg', 'yes', 'no', 'leads,contacts', 'yes'],
            'ben': ['ben', 'Ben Roth', 'no', 'yes', 'leads', 'yes'],
        })
        r = self.server.cli('user', 'set', 'ben', '--read-write', '--modules', 'leads,contacts', '--name', 'Ben R.')
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.users()['ben'], ['ben', 'Ben R.', 'no', 'no', 'leads,contacts', 'yes'])
        r = self.server.cli('user', 'disable', 'ben')
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.users()['ben'][5], 'no')
        r = self.server.cli('user', 'set', 'ben', '--enable')
        self.assertEqual(self.users()['ben'][5], 'yes')
        r = self.server.cli('user', 'passwd', 'ben', password='third-password')
        self.assertEqual(r.returncode, 0, r.stderr)

        self.server.start()
        try:
            status, _, _ = self.server.request('POST', '/api/v1/auth/login',
                                               {'login': 'ben', 'password': 'another-pass', 'client_id': new_uuid()})
            self.assertEqual(status, 401)
            status, _, body = self.server.request('POST', '/api/v1/auth/login',
                                                  {'login': 'ben', 'password': 'third-password', 'client_id': new_uuid()})
            self.assertEqual(status, 200, body)
            self.assertEqual(body['user']['modules'], ['leads', 'contacts'])
            self.assertEqual(len(body['token']), 43)
        finally:
            self.server.stop()

    def test_bad_input(self):
        self.assertEqual(self.server.cli('user', 'add', 'anna', '--name', 'A', password='s3cret-pass').returncode, 0)
        before = self.users()
        cases = [
            (('user', 'add', 'anna', '--name', 'Again'), 's3cret-pass', 'exists already'),
            (('user', 'add', 'bad login', '--name', 'X'), 's3cret-pass', 'login'),
            (('user', 'add', 'carl', '--name', 'X'), None, 'standard input'),
            (('user', 'add', 'carl', '--name', 'X'), 'short', 'password'),
            (('user', 'add', 'carl', '--modules', 'leads,invoices'), 's3cret-pass', 'invoices'),
            (('user', 'set', 'nobody', '--name', 'X'), None, 'nobody'),
            (('user', 'disable', 'nobody'), None, 'nobody'),
            (('user', 'frobnicate', 'anna'), None, 'frobnicate'),
            (('user', 'add'), None, 'usage'),
            (('user', 'set', 'anna', '--admin', '--no-admin'), None, 'contradict'),
        ]
        for args, password, expected in cases:
            with self.subTest(args=args):
                r = self.server.cli(*args, password=password)
                self.assertEqual(r.returncode, 1, r.stderr)
                self.assertIn(expected, r.stderr)
                self.assertEqual(len(r.stderr.strip().split('\n')), 1, r.stderr)
        self.assertEqual(self.users(), before)

        r = subprocess.run([SERVER, 'user', 'list'], capture_output=True, text=True)
        self.assertEqual(r.returncode, 2)
        self.assertIn('--data', r.stderr)


class TestAuth(ServerTestCase):
    def test_info_needs_no_token(self):
        status, _, info = self.server.request('GET', '/api/v1/info')
        self.assertEqual(status, 200)
        self.assertEqual(info['server'], 'leads-server')
        self.assertEqual(info['protocol'], 1)
        self.assertEqual(len(info['epoch']), 36)
        self.assertEqual(info['limits']['push_mutations'], 100)

    def test_key_values_seeded_like_the_app(self):
        leadsctl = os.path.join(os.path.dirname(SERVER), '..', 'cli', 'leadsctl')
        r = subprocess.run([leadsctl, '--db', os.path.join(self.tmp.name, 'app.db'), 'keys', 'list', '--format', 'json'],
                           capture_output=True, text=True, env=self.server.env)
        self.assertEqual(r.returncode, 0, r.stderr)
        app = sorted((k['kind'], k['key'], k['label'], k['position'], k['probability']) for k in json.loads(r.stdout)['keys'])
        c = self.server.login('anna')
        status, _, body = self.server.request('GET', '/api/v1/key-values', token=c.token)
        self.assertEqual(status, 200)
        server = sorted((k['kind'], k['key'], k['label'], k['position'], k['probability']) for k in body['key_values'])
        self.assertEqual(server, app)
        self.assertTrue(any(k['stale_days'] > 0 for k in body['key_values'] if k['kind'] == 'phase'))

    def test_login_me_logout(self):
        client = self.server.login('anna')
        status, _, me = self.server.request('GET', '/api/v1/me', token=client.token)
        self.assertEqual(status, 200)
        self.assertEqual(me['login'], 'anna')
        self.assertFalse(me['admin'])
        status, _, _ = self.server.request('POST', '/api/v1/auth/logout', token=client.token)
        self.assertEqual(status, 204)
        self.assertEnvelope(self.server.request('GET', '/api/v1/me', token=client.token), 401, 'unauthorized')

    def test_wrong_password_and_rate_limit(self):
        def attempt(password, login='anna'):
            return self.server.request('POST', '/api/v1/auth/login',
                                       {'login': login, 'password': password, 'client_id': new_uuid()})
        for _ in range(4):
            self.assertEnvelope(attempt('wrong'), 401, 'bad_credentials')
        # another account from the same address is not locked yet
        self.assertEnvelope(attempt('wrong', login='ben'), 401, 'bad_credentials')
        answer = attempt('wrong')
        self.assertEnvelope(answer, 429, 'rate_limited')
        self.assertGreater(int(answer[1]['Retry-After']), 0)
        # even the right password waits now
        answer = attempt(PASSWORD)
        self.assertEnvelope(answer, 429, 'rate_limited')
        self.assertLessEqual(int(answer[1]['Retry-After']), 900)
        self.assertEqual(self.server.request('POST', '/api/v1/auth/login',
                                             {'login': 'ben', 'password': PASSWORD, 'client_id': new_uuid()})[0], 200)
        # per address: from the twentieth failure every account waits
        for i in range(13):
            self.assertEnvelope(attempt('wrong', login='nobody%d' % i), 401, 'bad_credentials')
        self.assertEnvelope(attempt('wrong', login='ben'), 429, 'rate_limited')

    def test_client_id_bound_to_first_user(self):
        client = self.server.login('anna')
        answer = self.server.request('POST', '/api/v1/auth/login',
                                     {'login': 'ben', 'password': PASSWORD, 'client_id': client.client_id})
        self.assertEnvelope(answer, 409, 'client_mismatch')

    def test_disabled_user(self):
        client = self.server.login('anna')
        logged_out = self.server.login('anna')
        self.server.request('POST', '/api/v1/auth/logout', token=logged_out.token)
        admin = self.server.login('admin')
        lead = new_uuid()
        created = client.mutation('lead.create', lead_record(lead))
        self.assertEqual(client.push_ok(created)[0]['outcome'], 'applied')
        status, _, _ = self.server.request('PATCH', '/api/v1/users/anna', {'active': False}, token=admin.token)
        self.assertEqual(status, 200)
        # every endpoint refuses the token, push included: nothing is read,
        # applied or recorded, so the client keeps its pending edits
        for method, path, body in ROUTES:
            with self.subTest(method=method, path=path):
                self.assertEnvelope(self.server.request(method, path, body, token=client.token),
                                    403, 'disabled')
        other = new_uuid()
        create = client.mutation('lead.create', lead_record(other))
        update = client.mutation('lead.update', {'uuid': lead, 'base_rev': 1,
                                                 'fields': {'probability': {'value': '90', 'base': '40'}},
                                                 'events': [event(lead, 'probability', '40', '90')]})
        self.assertEnvelope(client.push(created, create, update), 403, 'disabled')
        rows, _ = admin.pull_all()
        self.assertNotIn(('lead', other), rows)
        self.assertEqual(rows[('lead', lead)]['fields']['probability'], '40')
        # a token ended before (logout) stays dead; a new login is refused
        self.assertEnvelope(logged_out.push(logged_out.mutation('lead.create', lead_record(new_uuid()))),
                            401, 'unauthorized')
        answer = self.server.request('POST', '/api/v1/auth/login',
                                     {'login': 'anna', 'password': PASSWORD, 'client_id': new_uuid()})
        self.assertEnvelope(answer, 403, 'disabled')
        # enabled again: the deactivation ended the token; a new login works
        status, _, _ = self.server.request('PATCH', '/api/v1/users/anna', {'active': True}, token=admin.token)
        self.assertEqual(status, 200)
        self.assertEnvelope(client.push(client.mutation('lead.create', lead_record(new_uuid()))),
                            401, 'unauthorized')
        self.assertEnvelope(self.server.request('GET', '/api/v1/me', token=client.token), 401, 'unauthorized')
        # the same push, after a new login: what was applied is answered as
        # before (exactly once), the edits held meanwhile are applied now
        again = self.server.login('anna', client_id=client.client_id)
        status, _, answer = again.push(created, create, update)
        self.assertEqual(status, 200, answer)
        self.assertEqual([(r['outcome'], r['duplicate']) for r in answer['results']],
                         [('applied', True), ('applied', False), ('applied', False)])
        rows, _ = admin.pull_all()
        self.assertIn(('lead', other), rows)
        self.assertEqual(rows[('lead', lead)]['fields']['probability'], '90')


ROUTES = [
    ('POST', '/api/v1/auth/logout', {}),
    ('GET', '/api/v1/me', None),
    ('POST', '/api/v1/sync/push', {'client_id': new_uuid(), 'mutations': []}),
    ('POST', '/api/v1/sync/pull', {'client_id': new_uuid(), 'cursor': None}),
    ('GET', '/api/v1/users', None),
    ('POST', '/api/v1/users', {'login': 'x', 'password': 'xxxxxxxxxx'}),
    ('PATCH', '/api/v1/users/anna', {'name': 'Mallory'}),
    ('GET', '/api/v1/key-values', None),
    ('PUT', '/api/v1/key-values/phase/offer', {'label': 'Offer', 'position': 1, 'active': True,
                                                'probability': 50, 'status_class': 0, 'stale_days': 0}),
    ('GET', '/api/v1/no-such-route', None),
]


class TestRouteWalk(ServerTestCase):
    server_args = ('--token-ttl', '2')

    def walk(self, token, code):
        for method, path, body in ROUTES:
            with self.subTest(method=method, path=path, token=token):
                self.assertEnvelope(self.server.request(method, path, body, token=token), 401, code)

    def test_every_route_refuses_missing_wrong_revoked_expired(self):
        self.walk(None, 'unauthorized')
        self.walk('', 'unauthorized')
        self.walk('x' * 43, 'unauthorized')
        revoked = self.server.login('admin')
        self.server.request('POST', '/api/v1/auth/logout', token=revoked.token)
        self.walk(revoked.token, 'unauthorized')
        expired = self.server.login('admin')
        time.sleep(2.5)
        self.walk(expired.token, 'unauthorized')
        # nothing of the walk was applied
        self.assertEqual(self.server.cli('user', 'list').stdout.count('Mallory'), 0)


class TestRights(ServerTestCase):
    def setUp(self):
        super().setUp()
        self.add_user('nomod', '--modules', '')
        self.add_user('reader', '--read-only')
        self.add_user('contactsonly', '--modules', 'contacts')

    def test_no_module_forbidden(self):
        c = self.server.login('nomod')
        self.assertEnvelope(c.push(c.mutation('lead.create', lead_record(new_uuid()))), 403, 'forbidden')
        self.assertEnvelope(c.pull(), 403, 'forbidden')

    def test_not_admin_forbidden(self):
        c = self.server.login('anna')
        for method, path, body in ROUTES:
            if '/users' in path or (method == 'PUT' and 'key-values' in path):
                with self.subTest(path=path):
                    self.assertEnvelope(self.server.request(method, path, body, token=c.token), 403, 'forbidden')
        status, _, kv = self.server.request('GET', '/api/v1/key-values', token=c.token)
        self.assertEqual(status, 200)
        self.assertTrue(any(k['kind'] == 'phase' and k['key'] == 'proposal' for k in kv['key_values']))

    def test_admin_api_and_read_only_admin(self):
        admin = self.server.login('admin')
        status, _, _ = self.server.request('POST', '/api/v1/users', {
            'login': 'carl', 'name': 'Carl', 'password': 'carl-password', 'admin': False, 'read_only': False,
            'modules': ['leads']}, token=admin.token)
        self.assertEqual(status, 201)
        self.assertEnvelope(self.server.request('POST', '/api/v1/users', {'login': 'carl', 'password': 'carl-password'},
                                                token=admin.token), 400, 'bad_request')
        self.assertEnvelope(self.server.request('PATCH', '/api/v1/users/nobody', {'name': 'X'}, token=admin.token),
                            404, 'not_found')
        self.assertEnvelope(self.server.request('PATCH', '/api/v1/users/carl', {'modules': ['invoices']},
                                                token=admin.token), 400, 'bad_request')
        status, _, body = self.server.request('GET', '/api/v1/users', token=admin.token)
        self.assertEqual(status, 200)
        carl = [u for u in body['users'] if u['login'] == 'carl'][0]
        self.assertEqual((carl['name'], carl['modules'], carl['admin']), ('Carl', ['leads'], False))
        self.assertEqual(self.server.login('carl', password='carl-password').token.__len__(), 43)
        status, _, _ = self.server.request('PUT', '/api/v1/key-values/source/fair_2027', {
            'label': 'Fair 2027', 'position': 9, 'active': True, 'probability': None, 'status_class': 0,
            'stale_days': 0}, token=admin.token)
        self.assertEqual(status, 200)
        rows, _ = admin.pull_all()
        self.assertEqual(rows[('key_value', ('source', 'fair_2027'))]['label'], 'Fair 2027')
        # a read-only admin reads, but writes nothing
        self.assertEqual(self.server.cli('user', 'set', 'admin', '--read-only').returncode, 0)
        self.assertEqual(self.server.request('GET', '/api/v1/users', token=admin.token)[0], 200)
        self.assertEnvelope(self.server.request('PATCH', '/api/v1/users/carl', {'name': 'C'}, token=admin.token),
                            403, 'forbidden')
        self.assertEnvelope(self.server.request('PUT', '/api/v1/key-values/source/fair_2027', {
            'label': 'X', 'position': 9, 'active': True, 'probability': None, 'status_class': 0, 'stale_days': 0},
            token=admin.token), 403, 'forbidden')

    def test_read_only_rejected(self):
        c = self.server.login('reader')
        results = c.push_ok(c.mutation('lead.create', lead_record(new_uuid())))
        self.assertEqual(results[0]['outcome'], 'rejected')
        self.assertEqual(results[0]['reason'], 'forbidden')
        rows, _ = c.pull_all()
        self.assertFalse([k for k in rows if k[0] == 'lead'])

    def test_module_mutations_rejected(self):
        c = self.server.login('contactsonly')
        results = c.push_ok(c.mutation('lead.create', lead_record(new_uuid())),
                            c.mutation('contact.create', {'uuid': new_uuid(), 'kind': 'company', 'name': 'Nordwind',
                                                          'company': '', 'notes': '', 'addresses': '', 'phones': '',
                                                          'emails': '', 'created_at': 1, 'updated_at': 1}))
        self.assertEqual([r['outcome'] for r in results], ['rejected', 'applied'])
        self.assertEqual(results[0]['reason'], 'forbidden')

    def test_pull_shows_only_what_the_user_may_see(self):
        anna, ben = self.server.login('anna'), self.server.login('ben')
        lead = new_uuid()
        anna.push_ok(anna.mutation('lead.create', lead_record(lead)),
                     anna.mutation('contact.create', {'uuid': new_uuid(), 'kind': 'person', 'name': 'Eva',
                                                      'company': '', 'notes': '', 'addresses': '', 'phones': '',
                                                      'emails': '', 'created_at': 1, 'updated_at': 1}))
        anna.push_ok(anna.mutation('lead.update', {'uuid': lead, 'base_rev': 1,
                                                   'fields': {'probability': {'value': '60', 'base': '40'}}}))
        ben.push_ok(ben.mutation('lead.update', {'uuid': lead, 'base_rev': 1,
                                                 'fields': {'probability': {'value': '70', 'base': '40'}}}))
        contacts = self.server.login('contactsonly')
        rows, _ = contacts.pull_all()
        types = {k[0] for k in rows}
        self.assertEqual(types, {'contact', 'key_value', 'user'})
        admin = self.server.login('admin')
        rows, _ = admin.pull_all()
        self.assertIn('lead', {k[0] for k in rows})
        self.assertNotIn('conflict', {k[0] for k in rows}, 'a conflict is only for the people concerned')

    def test_module_removed_resets_and_rejects(self):
        anna = self.server.login('anna')
        anna.push_ok(anna.mutation('lead.create', lead_record(new_uuid())))
        rows, page = anna.pull_all()
        self.assertIn('lead', {k[0] for k in rows})
        admin = self.server.login('admin')
        status, _, _ = self.server.request('PATCH', '/api/v1/users/anna', {'modules': ['contacts']}, token=admin.token)
        self.assertEqual(status, 200)
        status, _, again = anna.pull(page['cursor'])
        self.assertEqual(status, 200)
        self.assertTrue(again['reset'])
        rows, _ = anna.pull_all()
        self.assertNotIn('lead', {k[0] for k in rows})
        results = anna.push_ok(anna.mutation('lead.create', lead_record(new_uuid())))
        self.assertEqual((results[0]['outcome'], results[0]['reason']), ('rejected', 'forbidden'))


class TestPush(ServerTestCase):
    def test_same_id_twice_applied_once(self):
        c = self.server.login('anna')
        lead = new_uuid()
        create = c.mutation('lead.create', lead_record(lead))
        update = c.mutation('lead.update', {'uuid': lead, 'base_rev': 1,
                                            'fields': {'probability': {'value': '50', 'base': '40'}},
                                            'events': [event(lead, 'probability', '40', '50')]})
        first = c.push_ok(create, update)
        second = c.push_ok(create, update)
        self.assertEqual([r['outcome'] for r in first], ['applied', 'applied'])
        self.assertEqual([r['duplicate'] for r in second], [True, True])
        self.assertEqual([r['rev'] for r in second], [1, 2])
        rows, page = c.pull_all()
        self.assertEqual(rows[('lead', lead)]['rev'], 2)
        self.assertEqual(len([k for k in rows if k[0] == 'event']), 1)
        self.assertEqual(page['last_mutation_id'], 2)

    def test_concurrent_same_push_applied_once(self):
        c = self.server.login('anna')
        lead = new_uuid()
        mutations = [c.mutation('lead.create', lead_record(lead))]
        for i in range(20):
            mutations.append(c.mutation('lead.update', {
                'uuid': lead, 'base_rev': i + 1,
                'fields': {'volume_minor': {'value': str(1000 + i + 1), 'base': '125000' if i == 0 else str(1000 + i)}},
                'events': [event(lead, 'volume_minor', None, str(1000 + i + 1))]}))
        answers = []

        def send():
            answers.append(c.push(*mutations))
        threads = [threading.Thread(target=send) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual([a[0] for a in answers], [200] * 4, answers)
        rows, page = c.pull_all()
        self.assertEqual(rows[('lead', lead)]['rev'], 21)
        self.assertEqual(rows[('lead', lead)]['fields']['volume_minor'], '1020')
        self.assertEqual(len([k for k in rows if k[0] == 'event']), 20)
        self.assertEqual(page['last_mutation_id'], 21)
        applied = sum(1 for a in answers for r in a[2]['results'] if not r['duplicate'])
        self.assertEqual(applied, 21)

    def test_mutation_gap(self):
        c = self.server.login('anna')
        c.push_ok(c.mutation('lead.create', lead_record(new_uuid())))
        c.next_id = 5
        answer = c.push(c.mutation('lead.create', lead_record(new_uuid())))
        self.assertEnvelope(answer, 409, 'mutation_gap')
        self.assertEqual(answer[2]['error']['last_mutation_id'], 1)

    def test_validation_rejected_not_applied(self):
        c = self.server.login('anna')
        lead = new_uuid()
        results = c.push_ok(c.mutation('lead.create', lead_record(lead, phase='no_such_phase')))
        self.assertEqual((results[0]['outcome'], results[0]['reason']), ('rejected', 'validation'))
        self.assertIn('no_such_phase', results[0]['message'])
        rows, _ = c.pull_all()
        self.assertNotIn(('lead', lead), rows)


class TestMerge(ServerTestCase):
    def setUp(self):
        super().setUp()
        self.anna, self.ben = self.server.login('anna'), self.server.login('ben')
        self.lead = new_uuid()
        self.anna.push_ok(self.anna.mutation('lead.create', lead_record(self.lead)))

    def update(self, client, **fields):
        return client.mutation('lead.update', {'uuid': self.lead, 'base_rev': 1, 'fields': {
            name: {'value': value, 'base': lead_record(self.lead)['fields'][name]} for name, value in fields.items()}})

    def test_different_fields_both_kept(self):
        r1 = self.anna.push_ok(self.update(self.anna, probability='60'))
        r2 = self.ben.push_ok(self.update(self.ben, title='Pumps and valves'))
        self.assertEqual([r1[0]['outcome'], r2[0]['outcome']], ['applied', 'applied'])
        for client in (self.anna, self.ben):
            rows, _ = client.pull_all()
            fields = rows[('lead', self.lead)]['fields']
            self.assertEqual((fields['probability'], fields['title']), ('60', 'Pumps and valves'))
            self.assertFalse([k for k in rows if k[0] == 'conflict'])

    def test_same_field_first_stays_one_conflict(self):
        self.anna.push_ok(self.update(self.anna, probability='60'))
        result = self.ben.push_ok(self.update(self.ben, probability='70', title='Pumps II'))[0]
        self.assertEqual(result['outcome'], 'partial')
        self.assertEqual(result['conflicts'], ['probability'])
        for client in (self.anna, self.ben):
            rows, _ = client.pull_all()
            self.assertEqual(rows[('lead', self.lead)]['fields']['probability'], '60')
            conflicts = [v for k, v in rows.items() if k[0] == 'conflict']
            self.assertEqual(len(conflicts), 1)
            c = conflicts[0]
            self.assertEqual((c['field'], c['base'], c['kept'], c['rejected'], c['kept_by'], c['rejected_by'], c['kind']),
                             ('probability', '40', '60', '70', 'anna', 'ben', 'field'))

    def test_delete_beats_edit_no_resurrection(self):
        delete = self.anna.mutation('lead.delete', {'uuid': self.lead, 'base_rev': 1})
        self.assertEqual(self.anna.push_ok(delete)[0]['outcome'], 'applied')
        result = self.ben.push_ok(self.update(self.ben, probability='70'))[0]
        self.assertEqual((result['outcome'], result['reason']), ('rejected', 'deleted'))
        rows, _ = self.ben.pull_all()
        self.assertTrue(rows[('lead', self.lead)]['deleted'])
        self.assertEqual(rows[('lead', self.lead)]['fields']['probability'], '40')
        conflicts = [v for k, v in rows.items() if k[0] == 'conflict']
        self.assertEqual([(c['kind'], c['rejected']) for c in conflicts], [('deleted', '70')])
        # a report on the deleted lead is kept in a conflict too, not appended
        report = self.ben.mutation('activity.create', {
            'uuid': new_uuid(), 'lead': self.lead, 'contact': '', 'kind': 'call', 'at': 3, 'subject': 'Call',
            'text': 'they want it', 'author': 'ben', 'probability': None, 'phase': None, 'created_at': 3})
        self.assertEqual(self.ben.push_ok(report)[0]['reason'], 'deleted')
        rows, _ = self.ben.pull_all()
        self.assertTrue(rows[('lead', self.lead)]['deleted'])
        self.assertFalse([k for k in rows if k[0] == 'activity'])

    def test_reports_from_two_clients_both_arrive(self):
        def report(client, probability):
            return client.mutation('activity.create', {
                'uuid': new_uuid(), 'lead': self.lead, 'contact': '', 'kind': 'visit', 'at': 3, 'subject': '',
                'text': 'visit', 'author': 'x', 'probability': probability, 'phase': None, 'created_at': 3,
                'lead_update': {'base_rev': 1, 'fields': {'probability': {'value': str(probability), 'base': '40'}}},
                'events': [event(self.lead, 'probability', '40', str(probability))]})
        r1 = self.anna.push_ok(report(self.anna, 50))[0]
        r2 = self.ben.push_ok(report(self.ben, 80))[0]
        self.assertEqual((r1['outcome'], r2['outcome']), ('applied', 'partial'))
        rows, _ = self.anna.pull_all()
        self.assertEqual(len([k for k in rows if k[0] == 'activity']), 2)
        self.assertEqual(rows[('lead', self.lead)]['fields']['probability'], '50')
        self.assertEqual([v['new'] for k, v in rows.items() if k[0] == 'event'], ['50'])

    def test_lead_history_from_its_uploader_with_authors_once(self):
        report = {'uuid': new_uuid(), 'lead': self.lead, 'contact': '', 'kind': 'call', 'at': 2, 'subject': '',
                  'text': 'before the login', 'author': 'Anna Berg', 'probability': 45, 'phase': None,
                  'created_at': 2}
        change = dict(event(self.lead, 'probability', '30', '45'), author='Anna Berg', activity=report['uuid'])
        history = {'uuid': self.lead, 'activities': [report], 'events': [change]}
        # nobody writes the past of a lead another account uploaded
        result = self.ben.push_ok(self.ben.mutation('lead.history', history))[0]
        self.assertEqual((result['outcome'], result['reason']), ('rejected', 'forbidden'))
        # every record must be about the mutation's lead
        status, _, body = self.anna.push(self.anna.mutation('lead.history', dict(
            history, events=[dict(change, lead=new_uuid())])))
        self.assertEqual(status, 400, body)
        self.assertIn('events[0].lead', body['error']['message'])
        self.anna.next_id -= 1     # that request was refused as a whole
        for _ in range(2):         # sent twice: stored once
            result = self.anna.push_ok(self.anna.mutation('lead.history', history))[0]
            self.assertEqual((result['outcome'], result['rev']), ('applied', 1))
        rows, _ = self.ben.pull_all()
        self.assertEqual([(v['author'], v['at'], v['text']) for k, v in rows.items() if k[0] == 'activity'],
                         [('Anna Berg', 2, 'before the login')])
        self.assertEqual([(v['author'], v['at'], v['new'], v['activity']) for k, v in rows.items() if k[0] == 'event'],
                         [('Anna Berg', 5, '45', report['uuid'])])
        # nothing of the lead itself changed
        self.assertEqual((rows[('lead', self.lead)]['rev'], rows[('lead', self.lead)]['fields']['probability']),
                         (1, '40'))


class TestPull(ServerTestCase):
    def test_pages_cursor_reset(self):
        c = self.server.login('anna')
        leads = [new_uuid() for _ in range(30)]
        c.push_ok(*[c.mutation('lead.create', lead_record(u)) for u in leads])
        cursor, seen, seqs, pages = None, [], [], 0
        while True:
            status, _, page = c.pull(cursor, limit=7)
            self.assertEqual(status, 200)
            self.assertLessEqual(len(page['rows']), 7)
            seen += [r['data'].get('uuid') for r in page['rows'] if r['type'] == 'lead']
            seqs += [r['seq'] for r in page['rows']]
            cursor = page['cursor']
            pages += 1
            if not page['has_more']:
                break
        self.assertEqual(sorted(seen), sorted(leads))
        self.assertEqual(seqs, sorted(set(seqs)))
        self.assertGreater(pages, 5)
        # nothing new: an empty page at the same cursor
        status, _, page = c.pull(cursor)
        self.assertEqual((page['rows'], page['has_more'], page['cursor']), ([], False, cursor))
        # a change moves just that row past the cursor
        c.push_ok(c.mutation('lead.update', {'uuid': leads[3], 'base_rev': 1,
                                             'fields': {'title': {'value': 'Renamed', 'base': 'Pumps'}}}))
        status, _, page = c.pull(cursor)
        self.assertEqual([(r['type'], r['data']['fields']['title']) for r in page['rows']], [('lead', 'Renamed')])
        self.assertEqual(page['last_mutation_id'], 31)
        # another epoch: reset
        status, _, page = c.pull(new_uuid() + '.5')
        self.assertTrue(page['reset'])
        self.assertEqual(page['rows'], [])
        # a cursor that is no cursor: 400
        self.assertEnvelope(c.pull('yesterday'), 400, 'bad_request')


    def test_purge_evicts_then_resets_past_the_horizon(self):
        anna, ben = self.server.login('anna'), self.server.login('ben')
        keep, gone = new_uuid(), new_uuid()
        anna.push_ok(anna.mutation('lead.create', lead_record(keep)), anna.mutation('lead.create', lead_record(gone)))
        anna.push_ok(anna.mutation('activity.create', {
            'uuid': new_uuid(), 'lead': gone, 'contact': '', 'kind': 'call', 'at': 3, 'subject': '', 'text': 'x',
            'author': 'anna', 'probability': None, 'phase': None, 'created_at': 3}))
        _, behind = ben.pull_all()
        ben.push_ok(ben.mutation('lead.delete', {'uuid': gone, 'base_rev': 1}))
        r = self.server.cli('purge', '--days', '0')
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn('1 deleted leads purged', r.stdout)
        # a client behind gets evict rows for the purged lead and its report
        status, _, page = ben.pull(behind['cursor'])
        self.assertEqual((status, page['reset']), (200, False))
        evicts = sorted((row['type'], row['data']['uuid'] == gone) for row in page['rows'] if row['op'] == 'evict')
        self.assertEqual(evicts, [('activity', False), ('lead', True)])
        self.assertNotIn(gone, [row['data'].get('uuid') for row in page['rows'] if row['op'] == 'put'])
        current = page['cursor']
        # a second purge drops the markers and moves the horizon: older cursors start over
        self.assertEqual(self.server.cli('purge', '--days', '0').returncode, 0)
        status, _, page = ben.pull(current)
        self.assertEqual((status, page['reset']), (200, False))
        status, _, page = anna.pull(behind['cursor'])
        self.assertEqual((status, page['reset']), (200, True))
        rows, _ = anna.pull_all()
        self.assertIn(('lead', keep), rows)
        self.assertNotIn(('lead', gone), rows)
        self.assertEqual(self.server.cli('purge', '--days', '-3').returncode, 1)


class TestMalformed(ServerTestCase):
    def test_bad_bodies_apply_nothing(self):
        c = self.server.login('anna')
        lead = new_uuid()
        good = {'client_id': c.client_id, 'mutations': [c.mutation('lead.create', lead_record(lead))]}
        wrong_type = json.loads(json.dumps(good))
        wrong_type['mutations'][0]['args']['fields']['probability'] = 40
        bad_uuid = json.loads(json.dumps(good))
        bad_uuid['mutations'][0]['args']['uuid'] = 'not-a-uuid'
        cases = [
            (b'{"client_id": ', 400, 'bad_request'),
            (b'[]', 400, 'bad_request'),
            (b'\xff\xfe', 400, 'bad_request'),
            (json.dumps(wrong_type).encode(), 400, 'bad_request'),
            (json.dumps(bad_uuid).encode(), 400, 'bad_request'),
            (json.dumps({'client_id': c.client_id, 'mutations': [good['mutations'][0]] * 101}).encode(), 413, 'too_large'),
            (b'{"x": "' + b'a' * (5 * 1024 * 1024) + b'"}', 413, 'too_large'),
        ]
        for raw, status, code in cases:
            with self.subTest(raw=raw[:40]):
                self.assertEnvelope(self.server.request('POST', '/api/v1/sync/push', raw=raw, token=c.token), status, code)
        answer = self.server.request('POST', '/api/v1/sync/push', raw=json.dumps(wrong_type).encode(), token=c.token)
        self.assertIn('probability', answer[2]['error']['message'])
        rows, page = c.pull_all()
        self.assertNotIn(('lead', lead), rows)
        self.assertEqual(page['last_mutation_id'], 0)


class TestCrash(ServerTestCase):
    def restart(self, crash=None):
        self.server.stop(signal.SIGKILL)
        self.server.env.pop('LEADS_SERVER_CRASH', None)
        if crash:
            self.server.env['LEADS_SERVER_CRASH'] = crash
        self.server.start()

    def crash_and_retry(self, c, crash, batch, before=0):
        if before:
            c.push_ok(*batch[:before])
        self.restart(crash)
        with self.assertRaises((http.client.HTTPException, ConnectionError, urllib.error.URLError)):
            c.push(*batch)
        self.assertEqual(self.server.proc.wait(timeout=30), 70)
        self.restart()
        return c.push_ok(*batch)

    def batch(self, c, lead):
        return [c.mutation('lead.create', lead_record(lead)),
                c.mutation('lead.update', {'uuid': lead, 'base_rev': 1,
                                           'fields': {'probability': {'value': '55', 'base': '40'}},
                                           'events': [event(lead, 'probability', '40', '55')]}),
                c.mutation('lead.update', {'uuid': lead, 'base_rev': 2,
                                           'fields': {'volume_minor': {'value': '99', 'base': '125000'}},
                                           'events': [event(lead, 'volume_minor', '125000', '99')]})]

    def check_once(self, c, lead):
        rows, page = c.pull_all()
        self.assertEqual(rows[('lead', lead)]['rev'], 3)
        self.assertEqual(rows[('lead', lead)]['fields']['probability'], '55')
        self.assertEqual(rows[('lead', lead)]['fields']['volume_minor'], '99')
        self.assertEqual(len([k for k in rows if k[0] == 'event']), 2)
        self.assertEqual(page['last_mutation_id'], 3)

    def test_killed_before_commit(self):
        lead = new_uuid()
        c = self.server.login('anna')
        results = self.crash_and_retry(c, 'before-commit:1', self.batch(c, lead))
        self.assertEqual([r['duplicate'] for r in results], [False, False, False])
        self.check_once(c, lead)

    def test_killed_after_commit_before_reply(self):
        lead = new_uuid()
        c = self.server.login('anna')
        results = self.crash_and_retry(c, 'after-commit:1', self.batch(c, lead))
        self.assertEqual([r['duplicate'] for r in results], [True, True, True])
        self.check_once(c, lead)

    def test_killed_mid_batch(self):
        lead = new_uuid()
        c = self.server.login('anna')
        # mutation 1 committed before; 2 applied in the open transaction, killed at 3
        results = self.crash_and_retry(c, 'mid-batch:2', self.batch(c, lead), before=1)
        self.assertEqual([r['duplicate'] for r in results], [True, False, False])
        self.check_once(c, lead)


class TestShutdown(ServerTestCase):
    def test_sigterm_under_load_loses_no_acknowledged_write(self):
        clients = [self.server.login(name) for name in ('anna', 'ben', 'admin')]
        acknowledged = []
        lock = threading.Lock()

        def work(c):
            while True:
                lead = new_uuid()
                try:
                    status, _, body = c.push(c.mutation('lead.create', lead_record(lead)))
                except Exception:
                    return
                if status != 200:
                    return
                with lock:
                    acknowledged.append(lead)
        threads = [threading.Thread(target=work, args=(c,)) for c in clients]
        for t in threads:
            t.start()
        # SIGTERM while the clients keep pushing (not a timing assertion:
        # wait for some acknowledged writes, however slow the machine)
        deadline = time.monotonic() + 120
        while len(acknowledged) < 30 and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertEqual(self.server.stop(signal.SIGTERM), 0)
        for t in threads:
            t.join()
        self.assertGreater(len(acknowledged), 10)
        self.server.start()
        rows, _ = self.server.login('admin').pull_all()
        missing = [u for u in acknowledged if ('lead', u) not in rows]
        self.assertEqual(missing, [])


class TestTls(unittest.TestCase):
    def test_https_with_self_signed_certificate(self):
        with tempfile.TemporaryDirectory(prefix='leads-server-tls-') as tmp:
            cert, key = os.path.join(tmp, 'cert.pem'), os.path.join(tmp, 'key.pem')
            r = subprocess.run(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1',
                                '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
                                '-keyout', key, '-out', cert], capture_output=True, text=True)
            self.assertEqual(r.returncode, 0, r.stderr)
            server = Server(os.path.join(tmp, 'data'), tls=(cert, key))
            server.cli('user', 'add', 'anna', password=PASSWORD)
            server.start()
            try:
                self.assertTrue(server.base.startswith('https://'), server.base)
                context = ssl.create_default_context(cafile=cert)
                status, _, info = server.request('GET', '/api/v1/info', context=context)
                self.assertEqual((status, info['server']), (200, 'leads-server'))
                with self.assertRaises(urllib.error.URLError):
                    server.request('GET', '/api/v1/info', context=ssl.create_default_context())
            finally:
                server.stop()


if __name__ == '__main__':
    SERVER = os.path.abspath(sys.argv.pop(1))
    unittest.main()
