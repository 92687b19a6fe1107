#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Sync under faults: a real leads-server on loopback, the seeded fault
# proxy in front of it, and several real leadsctl clients (each its own
# database and token file; two devices of one user and one of another)
# making seeded random edits offline and syncing through the faults. Then
# the faults stop, every client syncs until all is quiet, and the test
# checks that
#   - every client equals what the server returns to its user (leads with
#     every field, contacts, each lead's history of changes and reports,
#     the open conflicts), read with leadsctl's JSON and the protocol's
#     pull with that user's token;
#   - every edit a client acknowledged arrived exactly once: each created
#     lead, report and contact once; each logged field change once in the
#     events or else kept in a conflict; each delete once;
#   - a contacts-only user's client never got a lead, report or event.
#
#   test-sync-faults.py PATH/TO/leads-server PATH/TO/leadsctl [unittest args]
#
# Seeds: a quick fixed set here (printed); LEADS_SYNC_SEEDS=1,2,3 replays
# others. tools/sync-soak runs many.

import os
import random
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import synctest  # noqa: E402

LEADS_SERVER = None
LEADSCTL = None
QUICK_SEEDS = [1, 2, 6]   # 6 caught history entries of edits that lost a conflict


class TestFaults(unittest.TestCase):
    maxDiff = None

    def test_random_edits_under_faults(self):
        for seed in synctest.seeds_from_env(QUICK_SEEDS):
            with self.subTest(seed=seed):
                synctest.log(f'test_random_edits_under_faults: seed {seed}')
                with tempfile.TemporaryDirectory(prefix=f'leads-sync-faults-{seed}-') as folder:
                    problems, _ = synctest.run_seed(LEADS_SERVER, LEADSCTL, seed, folder)
                self.assertEqual(problems, [], f'seed {seed}')


class ScenarioTestCase(unittest.TestCase):
    """A server with the users anna and ben, a proxy with no random faults
    (scripted ones only), and clients made on demand."""
    maxDiff = None

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix='leads-sync-')
        self.addCleanup(self.tmp.cleanup)
        self.server = synctest.Server(LEADS_SERVER, os.path.join(self.tmp.name, 'server'))
        os.makedirs(self.server.data_dir)
        self.server.user_add('anna')
        self.server.user_add('ben')
        self.server.start()
        self.addCleanup(self.server.stop)
        self.proxy = synctest.Proxy(self.server.port, 0, faults='', huge_mib=65)
        self.addCleanup(self.proxy.stop)

    def client(self, name, login, *login_options):
        c = synctest.Client(LEADSCTL, self.tmp.name, name, login.capitalize())
        c.login(self.proxy.url, login, synctest.PASSWORD, *login_options)
        return c

    def assert_equals_server(self, *clients):
        check = synctest.Checker()
        for c in clients:
            check.client_equals_server(c, synctest.Observer(self.server.url,
                                                            c.status()['login']).pull_all())
        self.assertEqual(check.problems, [])


class TestMalformedReplies(ScenarioTestCase):
    """Bad JSON, wrong types, a truncated and a huge body from the server's
    side: the sync fails with one clear line, nothing is applied (every
    row of the database unchanged, the cursor too), and the next clean
    sync gets everything, once."""

    def test_bad_pull_pages(self):
        anna = self.client('anna', 'anna')
        ben = self.client('ben', 'ben')
        ben.ok('lead', 'add', '--title', 'From Ben')
        ben.ok('report', 'add', '1', '--kind', 'call', '--subject', 'Ben called')
        self.assertEqual(ben.sync()[0], 0)
        for action in ('bad_json', 'wrong_types', 'truncate', 'huge'):
            with self.subTest(action=action):
                before = anna.snapshot()
                self.proxy.script([{'path': '/api/v1/sync/pull', 'action': action}])
                rc, out, err = anna.sync()
                self.assertNotEqual(rc, 0, action)
                lines = err.strip().split('\n')
                self.assertEqual(len(lines), 1, err)
                self.assertTrue(lines[0].startswith('leadsctl: '), err)
                self.assertEqual(anna.snapshot(), before, action)
        self.assertEqual(anna.sync()[0], 0)
        self.assertEqual([l['title'] for l in anna.leads()], ['From Ben'])
        self.assert_equals_server(anna, ben)

    def test_bad_push_answers(self):
        anna = self.client('anna', 'anna')
        anna.ok('lead', 'add', '--title', 'Pushed once')
        for n, action in enumerate(('bad_json', 'wrong_types', 'truncate', 'drop_reply')):
            with self.subTest(action=action):
                anna.ok('report', 'add', '1', '--kind', 'call', '--subject', f'Report {n}')
                before = anna.snapshot()
                self.proxy.script([{'path': '/api/v1/sync/push', 'action': action}])
                rc, out, err = anna.sync()
                self.assertNotEqual(rc, 0, action)
                self.assertEqual(len(err.strip().split('\n')), 1, err)
                # the server has applied the push; the client keeps it
                # queued, to be sent again and answered as a duplicate
                self.assertEqual(anna.snapshot(), before, action)
        self.assertEqual(anna.sync()[0], 0)
        self.assertEqual(anna.status()['pending'], 0)
        view = synctest.Observer(self.server.url, 'anna').pull_all()
        self.assertEqual(sorted(a['subject'] for a in view['activity'].values()),
                         [f'Report {n}' for n in range(4)])
        self.assertEqual([e['field'] for e in view['event'].values()], ['created'])
        self.assert_equals_server(anna)


class TestClientCrash(ScenarioTestCase):
    """leadsctl killed (SIGKILL) at seeded random moments while it pulls
    pages and while it makes local edits: the database stays whole, what
    it holds is a state the server had, and the next sync converges."""

    def test_killed_during_pull_pages(self):
        seed = synctest.seeds_from_env([random.SystemRandom().randrange(2**31)])[0]
        synctest.log(f'test_killed_during_pull_pages: seed {seed}')
        rng = random.Random(seed)
        ben = synctest.Client(LEADSCTL, self.tmp.name, 'ben', 'Ben')
        ben.ok('generate', '--count', '700', '--seed', str(seed))
        ben.login(self.proxy.url, 'ben', synctest.PASSWORD, '--upload-local')
        self.assertEqual(ben.sync()[0], 0)
        view = synctest.Observer(self.server.url, 'ben').pull_all()
        server_leads = set(view['lead'])
        self.assertEqual(len(server_leads), 700)
        # more rows than the client asks for in one page
        # (CRM_PROTOCOL_CLIENT_PULL_ROWS): kills land between pages too
        self.assertGreater(sum(len(t) for t in view.values()), 2000)

        anna = self.client('anna', 'anna')
        kills = 0
        for _ in range(6):
            # each page waits a little in the proxy, so that kills land
            # between pages as well as inside them
            self.proxy.script([{'path': '/api/v1/sync/pull', 'action': 'delay', 'count': 50}])
            p = anna.popen('sync', '--token-file', anna.token_file)
            time.sleep(rng.uniform(0.05, 0.8))
            if p.poll() is None:
                p.kill()
                kills += 1
            p.communicate()
            self.assertEqual(anna.ok('check').strip(), 'ok')
            self.assertLessEqual({l['uuid'] for l in anna.leads()}, server_leads)
        synctest.log(f'test_killed_during_pull_pages: {kills} kills')
        self.proxy.clean()
        self.assertEqual(anna.sync()[0], 0)
        self.assert_equals_server(anna)

    def test_killed_during_local_edits(self):
        seed = synctest.seeds_from_env([random.SystemRandom().randrange(2**31)])[0]
        synctest.log(f'test_killed_during_local_edits: seed {seed}')
        rng = random.Random(seed)
        anna = self.client('anna', 'anna')
        anna.ok('lead', 'add', '--title', 'Base')
        titles, subjects = {}, {}
        for i in range(30):
            if rng.random() < 0.5:
                key = f'Lead {i}'
                p = anna.popen('lead', 'add', '--title', key, '--probability', '30')
                done = titles
            else:
                key = f'Report {i}'
                p = anna.popen('report', 'add', '1', '--kind', 'call', '--subject', key,
                               '--probability', str(rng.randrange(0, 101)))
                done = subjects
            time.sleep(rng.uniform(0, 0.3))
            p.kill()
            p.communicate()
            done[key] = p.returncode == 0
            self.assertEqual(anna.ok('check').strip(), 'ok')
        self.assertEqual(anna.sync()[0], 0)
        self.assertEqual(anna.status()['pending'], 0)
        view = synctest.Observer(self.server.url, 'anna').pull_all()
        server_titles = [l['fields']['title'] for l in view.get('lead', {}).values()]
        server_subjects = [a['subject'] for a in view.get('activity', {}).values()]
        for key, acknowledged in titles.items():
            self.assertIn(server_titles.count(key), (1,) if acknowledged else (0, 1), key)
        for key, acknowledged in subjects.items():
            self.assertIn(server_subjects.count(key), (1,) if acknowledged else (0, 1), key)
        synctest.log(f'test_killed_during_local_edits: {sum(titles.values())} of {len(titles)} '
                     f'adds and {sum(subjects.values())} of {len(subjects)} reports finished')
        self.assert_equals_server(anna)


if __name__ == '__main__':
    LEADS_SERVER = sys.argv.pop(1)
    LEADSCTL = sys.argv.pop(1)
    unittest.main()
