#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# End-to-end sync: the real leads-server on loopback and several real
# leadsctl clients, each with its own database and --token-file. Every
# scenario of issue 3's "What must hold" for two clients editing offline:
# different fields, the same field, delete against edit, contact reports,
# rights removed and account disabled.
#
#   test-sync-e2e.py LEADS_SERVER LEADSCTL [unittest arguments]

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

import synctest

SERVER = None
LEADSCTL = None


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, root):
        self.data = os.path.join(root, 'server')
        self.port = free_port()
        self.url = 'http://127.0.0.1:%d' % self.port
        self.process = None

    def admin(self, *args, password=None):
        result = subprocess.run([SERVER, '--data', self.data] + list(args), input=password,
                                capture_output=True, text=True, timeout=60)
        if result.returncode != 0:
            raise AssertionError('leads-server %s: %s' % (' '.join(args), result.stderr))
        return result.stdout

    def add_user(self, login, password, modules='leads,contacts', *extra):
        self.admin('user', 'add', login, '--name', login.capitalize(), '--modules', modules, *extra,
                   password=password + '\n')

    def start(self):
        self.log = open(os.path.join(self.data, '..', 'server.log'), 'w')
        self.process = subprocess.Popen([SERVER, '--data', self.data, '--listen', '127.0.0.1:%d' % self.port],
                                        stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(self.url + '/api/v1/info', timeout=2) as reply:
                    json.load(reply)
                    return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError('leads-server did not start')
                time.sleep(0.05)

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)
            self.log.close()


class Client:
    def __init__(self, root, server, login, password):
        self.db = os.path.join(root, login + '.db')
        self.tokens = os.path.join(root, login + '.token')
        self.server = server
        self.login_name = login
        self.password = password

    def run(self, *args, check=True, stdin=None):
        result = subprocess.run([LEADSCTL, '--db', self.db, '--author', self.login_name] + list(args),
                                input=stdin, capture_output=True, text=True, timeout=120)
        if check and result.returncode != 0:
            raise AssertionError('leadsctl %s: exit %d: %s' % (' '.join(args), result.returncode, result.stderr))
        return result

    def login(self):
        self.run('login', '--server', self.server.url, '--user', self.login_name,
                 '--token-file', self.tokens, stdin=self.password + '\n')

    def sync(self):
        self.run('sync')

    def status(self):
        return json.loads(self.run('status', '--format', 'json').stdout)

    def leads(self):
        return json.loads(self.run('lead', 'list', '--format', 'json').stdout)['leads']

    def lead(self, title):
        for lead in self.leads():
            if lead['title'] == title:
                return json.loads(self.run('lead', 'show', str(lead['id']), '--format', 'json').stdout)
        return None

    def set(self, title, *assignments):
        self.run('lead', 'set', str(self.lead(title)['id']), *assignments)


class SyncCase(unittest.TestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp(prefix='leads-sync-e2e-')
        self.server = Server(self.root)
        self.server.add_user('anna', 'anna-password')
        self.server.add_user('bob', 'bob-password')
        self.server.start()
        self.anna = Client(self.root, self.server, 'anna', 'anna-password')
        self.bob = Client(self.root, self.server, 'bob', 'bob-password')
        self.anna.login()
        self.bob.login()

    def tearDown(self):
        self.server.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def shared_lead(self, title='Boiler', probability='30'):
        """A lead both clients have, synced."""
        self.anna.run('lead', 'add', '--title', title, '--probability', probability)
        self.anna.sync()
        self.bob.sync()
        self.assertIsNotNone(self.bob.lead(title))

    def settle(self):
        """Both clients sync until both have sent and fetched everything."""
        for client in (self.anna, self.bob, self.anna):
            client.sync()
        for client in (self.anna, self.bob):
            self.assertEqual(client.status()['pending'], 0)


class TestDifferentFields(SyncCase):
    def test_both_kept_everywhere(self):
        self.shared_lead()
        self.anna.set('Boiler', 'probability=40')
        self.bob.set('Boiler', 'description=Needs a new burner')
        self.settle()
        for client in (self.anna, self.bob):
            lead = client.lead('Boiler')
            self.assertEqual(lead['probability'], 40)
            self.assertEqual(lead['description'], 'Needs a new burner')
            self.assertEqual(client.status()['conflicts'], [])


class TestSameField(SyncCase):
    def test_first_committed_wins_one_conflict(self):
        self.shared_lead()
        self.anna.set('Boiler', 'probability=40')
        self.bob.set('Boiler', 'probability=50')
        self.anna.sync()          # commits first
        self.bob.sync()
        self.settle()
        seen = set()
        for client in (self.anna, self.bob):
            self.assertEqual(client.lead('Boiler')['probability'], 40)
            conflicts = client.status()['conflicts']
            self.assertEqual(len(conflicts), 1, conflicts)
            conflict = conflicts[0]
            self.assertEqual((conflict['field'], conflict['kept'], conflict['yours'], conflict['kind']),
                             ('probability', '40', '50', 'field'))
            seen.add(conflict['uuid'])
        self.assertEqual(len(seen), 1)   # the same conflict record on both


class TestDeleteAgainstEdit(SyncCase):
    def test_no_resurrection_edit_kept(self):
        self.shared_lead()
        self.anna.run('lead', 'delete', str(self.anna.lead('Boiler')['id']))
        self.bob.set('Boiler', 'probability=70')
        self.anna.sync()
        self.bob.sync()
        self.settle()
        for client in (self.anna, self.bob):
            self.assertIsNone(client.lead('Boiler'), 'the deleted lead came back')
            kept = [c for c in client.status()['conflicts'] if c['kind'] == 'deleted']
            self.assertEqual(len(kept), 1)
            self.assertEqual((kept[0]['field'], kept[0]['yours']), ('probability', '70'))


class TestReports(SyncCase):
    def test_offline_reports_both_arrive(self):
        self.shared_lead()
        self.anna.run('report', 'add', str(self.anna.lead('Boiler')['id']), '--kind', 'call',
                      '--text', 'Anna called', '--probability', '60')
        self.bob.run('report', 'add', str(self.bob.lead('Boiler')['id']), '--kind', 'visit',
                     '--text', 'Bob visited', '--probability', '80')
        self.settle()
        histories = []
        for client in (self.anna, self.bob):
            history = client.lead('Boiler')['history']
            reports = sorted((h['text'], h['probability']) for h in history if h['kind'] == 'report')
            self.assertEqual(reports, [('Anna called', 60), ('Bob visited', 80)])
            changes = sorted((h['field'], h['old'], h['new']) for h in history if h['kind'] == 'change')
            histories.append(changes)
        # the probability history is the same, and complete, on both
        self.assertEqual(histories[0], histories[1])
        self.assertIn(('probability', '30', '60'), histories[0])


class TestRights(SyncCase):
    def test_module_removed_edits_rejected_and_listed(self):
        self.shared_lead()
        self.bob.set('Boiler', 'description=Offline edit')
        self.server.admin('user', 'set', 'bob', '--modules', 'contacts')
        self.bob.sync()
        status = self.bob.status()
        self.assertEqual(status['pending'], 0)
        rejected = [c for c in status['conflicts'] if c['kind'] == 'rejected']
        self.assertEqual(len(rejected), 1, status['conflicts'])
        self.assertEqual((rejected[0]['field'], rejected[0]['yours'], rejected[0]['reason']),
                         ('description', 'Offline edit', 'forbidden'))
        # and the leads are no longer shown to him
        self.assertEqual(self.bob.leads(), [])
        self.anna.sync()
        self.assertEqual(self.anna.lead('Boiler')['description'], '')

    def test_disabled_edits_held_then_sent_once(self):
        """Deactivated while offline with pending edits (two field edits and
        a new lead): the server refuses the whole push (403 disabled) and
        records nothing, the client says so in one line and keeps every
        edit queued, in order; once the account is enabled again and the
        user has logged in, they arrive exactly once."""
        self.shared_lead()
        self.bob.set('Boiler', 'probability=90')
        self.bob.set('Boiler', 'description=Offline note')
        self.bob.run('lead', 'add', '--title', 'Made while deactivated')
        pending = self.bob.status()['pending']
        self.assertGreaterEqual(pending, 3)
        self.server.admin('user', 'disable', 'bob')
        result = self.bob.run('sync', check=False)
        self.assertNotEqual(result.returncode, 0)
        self.assertEqual(len(result.stderr.strip().splitlines()), 1, result.stderr)
        self.assertIn('deactivated', result.stderr)
        self.assertIn('kept', result.stderr)
        status = self.bob.status()
        self.assertEqual(status['pending'], pending)      # nothing dropped
        self.assertEqual(status['conflicts'], [])
        lead = self.bob.lead('Boiler')                    # nothing taken back
        self.assertEqual((lead['probability'], lead['description']), (90, 'Offline note'))
        # the server is unchanged
        self.anna.sync()
        lead = self.anna.lead('Boiler')
        self.assertEqual((lead['probability'], lead['description']), (30, ''))
        self.assertEqual([l['title'] for l in self.anna.leads()], ['Boiler'])
        # enabled again: the token of the deactivation is dead, so log in;
        # then the held edits go out, once
        self.server.admin('user', 'set', 'bob', '--enable')
        result = self.bob.run('sync', check=False)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn('log in again', result.stderr)
        self.assertEqual(self.bob.status()['pending'], pending)
        self.bob.login()
        self.settle()
        self.assertEqual(self.bob.status()['pending'], 0)
        for client in (self.anna, self.bob):
            lead = client.lead('Boiler')
            self.assertEqual((lead['probability'], lead['description']), (90, 'Offline note'))
            changes = [(h['field'], h['old'], h['new']) for h in lead['history'] if h['kind'] == 'change']
            self.assertEqual(changes.count(('probability', '30', '90')), 1, changes)
            self.assertEqual(sorted(l['title'] for l in client.leads()), ['Boiler', 'Made while deactivated'])
        self.assertEqual(self.bob.status()['conflicts'], [])

    def test_read_only_refused_nothing_queued(self):
        self.server.admin('user', 'set', 'bob', '--read-only')
        self.bob.login()
        self.shared_lead()
        result = self.bob.run('lead', 'set', str(self.bob.lead('Boiler')['id']), 'probability=99', check=False)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn('read-only', result.stderr)
        self.assertEqual(self.bob.status()['pending'], 0)
        self.assertEqual(self.bob.lead('Boiler')['probability'], 30)


class TestResolve(SyncCase):
    """leadsctl conflicts and resolve: the Sync Issues window's store calls."""

    def conflicts(self, client):
        return json.loads(client.run('conflicts', '--format', 'json').stdout)['conflicts']

    def by_field(self, client):
        return {c['field']: c for c in self.conflicts(client)}

    def test_list_and_resolve_keep_mine_value(self):
        self.shared_lead()
        self.anna.set('Boiler', 'probability=40', 'description=Anna\'s words', 'close_month=2027-03')
        self.bob.set('Boiler', 'probability=50', 'description=Bob\'s words', 'close_month=2027-04')
        self.anna.sync()          # commits first
        self.bob.sync()
        self.settle()

        # both list the same three conflicts, in both formats
        fields = ('close_month', 'description', 'probability')
        expected = {'probability': ('30', '40', '50'), 'description': ('', "Anna's words", "Bob's words"),
                    'close_month': ('', '2027-03', '2027-04')}
        uuids = None
        for client in (self.anna, self.bob):
            listed = self.by_field(client)
            self.assertEqual(sorted(listed), list(fields))
            for field, (base, kept, yours) in expected.items():
                c = listed[field]
                self.assertEqual((c['kind'], c['base'], c['kept'], c['yours'], c['kept_by'], c['yours_by'],
                                  c['title']), ('field', base, kept, yours, 'anna', 'bob', 'Boiler'))
            self.assertEqual(listed, {c['field']: c for c in client.status()['conflicts']})
            if uuids is None:
                uuids = {f: c['uuid'] for f, c in listed.items()}
            self.assertEqual(uuids, {f: c['uuid'] for f, c in listed.items()})
            table = client.run('conflicts').stdout.splitlines()
            self.assertEqual(table[0].split()[:6], ['ID', 'Kind', 'Record', 'Field', 'Base', 'Kept'])
            rows = {line.split()[3]: line.split() for line in table[1:] if line.strip()}
            self.assertEqual(sorted(rows), list(fields))
            for field in fields:
                self.assertEqual(rows[field][:4], [uuids[field][:8], 'field', 'Boiler', field])
                self.assertIn(expected[field][1].split()[0], rows[field])   # kept
                self.assertIn('anna', rows[field])                        # who

        # wrong ids and values: a clear error each, and nothing changes
        before = (self.bob.status(), self.bob.lead('Boiler'))
        for args, code, words in (
                (('resolve', 'no-such-id', '--keep'), 1, 'no open conflict'),
                (('resolve', '', '--keep'), 1, 'no open conflict'),
                (('resolve', uuids['probability'], '--value', '140'), 2, 'probability'),
                (('resolve', uuids['close_month'], '--value', '2027-13'), 2, 'close_month'),
                (('resolve', uuids['probability']), 2, 'exactly one of'),
                (('resolve', uuids['probability'], '--keep', '--mine'), 2, 'exactly one of'),
                (('resolve', '--keep'), 2, 'id:')):
            result = self.bob.run(*args, check=False)
            self.assertEqual(result.returncode, code, (args, result.stderr))
            self.assertEqual(len(result.stderr.strip().splitlines()), 1, result.stderr)
            self.assertIn(words, result.stderr, args)
        self.assertEqual((self.bob.status(), self.bob.lead('Boiler')), before)

        # keep (by the short id the table shows), mine, and a third value
        self.bob.run('resolve', uuids['probability'][:8], '--keep')
        self.bob.run('resolve', uuids['description'], '--mine')
        self.bob.run('resolve', uuids['close_month'], '--value', '2027-06')
        status = self.bob.status()
        self.assertEqual(status['conflicts'], [])
        self.assertEqual(status['pending'], 5)   # 2 edits + 3 resolutions, queued like any edit
        self.assertEqual(self.bob.run('resolve', uuids['description'], '--keep', check=False).returncode, 1)
        self.settle()

        view = synctest.Observer(self.server.url, 'anna', 'anna-password').pull_all()
        lead = [l for l in view['lead'].values() if l['fields']['title'] == 'Boiler'][0]['fields']
        self.assertEqual((lead['probability'], lead['description'], lead['close_month']),
                         ('40', "Bob's words", '2027-06'))
        resolutions = {c['field']: (c['resolved'], c['resolution']) for c in view['conflict'].values()}
        self.assertEqual(resolutions, {'probability': (True, 'keep'), 'description': (True, 'mine'),
                                       'close_month': (True, 'mine')})
        for client in (self.anna, self.bob):
            shown = client.lead('Boiler')
            self.assertEqual((shown['probability'], shown['description'], shown['close_month']),
                             (40, "Bob's words", '2027-06'))
            self.assertEqual(self.conflicts(client), [])
            self.assertEqual(client.run('conflicts').stdout.splitlines()[1:], [])
            # the resolving edits are in the history, with their author
            changes = [(h['field'], h['old'], h['new'], h['author'])
                       for h in shown['history'] if h['kind'] == 'change']
            self.assertIn(('close_month', '2027-03', '2027-06', 'bob'), changes)

    def test_deleted_lead_bad_value_changes_nothing(self):
        self.shared_lead()
        self.anna.run('lead', 'delete', str(self.anna.lead('Boiler')['id']))
        self.bob.set('Boiler', 'probability=70')
        self.anna.sync()
        self.bob.sync()
        [conflict] = self.conflicts(self.bob)
        self.assertEqual((conflict['kind'], conflict['field'], conflict['yours']), ('deleted', 'probability', '70'))
        before = self.bob.status()
        for value in ('abc', '101'):
            result = self.bob.run('resolve', conflict['uuid'], '--value', value, check=False)
            self.assertEqual(result.returncode, 2, result.stderr)
            self.assertIn('probability', result.stderr)
        # the lead did not come back, nothing was queued
        self.assertIsNone(self.bob.lead('Boiler'))
        self.assertEqual(self.bob.status(), before)
        self.bob.run('resolve', conflict['uuid'][:8], '--keep')
        self.settle()
        for client in (self.anna, self.bob):
            self.assertIsNone(client.lead('Boiler'))
            self.assertEqual(self.conflicts(client), [])


class TestCli(SyncCase):
    def test_status_logout_and_faults(self):
        # the token file is readable by its owner only
        self.assertEqual(os.stat(self.anna.tokens).st_mode & 0o777, 0o600)
        self.shared_lead()
        self.anna.set('Boiler', 'probability=45')
        status = self.anna.status()
        self.assertEqual((status['server'], status['login'], status['pending'], status['logged_in']),
                         (self.server.url, 'anna', 1, True))
        # the server gone: one clear line, non-zero, safe to run again
        self.server.stop()
        self.server.process = None
        for _ in range(2):
            result = self.anna.run('sync', check=False)
            self.assertNotEqual(result.returncode, 0)
            self.assertEqual(len(result.stderr.strip().splitlines()), 1, result.stderr)
            self.assertIn('Cannot reach', result.stderr)
        self.assertEqual(self.anna.status()['pending'], 1)
        self.server.start()
        self.anna.sync()
        self.assertEqual(self.anna.status()['pending'], 0)
        # logout warns about unsynced changes and keeps them
        self.anna.set('Boiler', 'probability=46')
        result = self.anna.run('logout')
        self.assertIn('not on the server', result.stderr)
        status = self.anna.status()
        self.assertEqual((status['pending'], status['logged_in']), (1, False))
        result = self.anna.run('sync', check=False)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn('log in', result.stderr)
        self.anna.login()
        self.anna.sync()
        self.bob.sync()
        self.assertEqual(self.bob.lead('Boiler')['probability'], 46)

    def test_upload_local_on_first_login(self):
        carl = Client(self.root, self.server, 'carl', 'carl-password')
        self.server.add_user('carl', 'carl-password')
        carl.run('lead', 'add', '--title', 'Made offline', '--probability', '25')
        result = carl.run('login', '--server', self.server.url, '--user', 'carl', '--token-file', carl.tokens,
                          '--upload-local', stdin='carl-password\n')
        self.assertEqual(result.returncode, 0)
        carl.sync()
        self.bob.sync()
        self.assertEqual(self.bob.lead('Made offline')['probability'], 25)

    def test_wrong_password(self):
        dora = Client(self.root, self.server, 'dora', 'wrong-password')
        self.server.add_user('dora', 'dora-password')
        result = dora.run('login', '--server', self.server.url, '--user', 'dora', '--token-file', dora.tokens,
                          stdin='wrong-password\n', check=False)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn('password is wrong', result.stderr)
        self.assertFalse(os.path.exists(dora.tokens) and 'dora' in open(dora.tokens).read())


if __name__ == '__main__':
    SERVER, LEADSCTL = sys.argv[1], sys.argv[2]
    unittest.main(argv=[sys.argv[0]] + sys.argv[3:], verbosity=2)
