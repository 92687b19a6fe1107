#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Exactly once across server crashes: a real leads-server on loopback is
# ended before a commit, after a commit but before its reply, and in the
# middle of a batch (its test-only crash hook LEADS_SERVER_CRASH, which
# ends it with _exit as a SIGKILL would; a push is one group-commit
# transaction, docs/sync-protocol.md), and by real SIGKILLs at seeded
# random moments; it is restarted on its data folder and the push is sent
# again. The same push is also sent twice at once. Each test then reads
# what the server holds (the protocol's pull, with the user's token) and
# checks that every mutation was applied exactly once: every record there,
# every event once, and each lead's revision counting each applied change
# once.
#
#   test-sync-crash.py PATH/TO/leads-server [unittest arguments]

import os
import random
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import synctest  # noqa: E402

LEADS_SERVER = None


class ServerTestCase(unittest.TestCase):
    maxDiff = None

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix='leads-sync-crash-')
        self.server = synctest.Server(LEADS_SERVER, self.tmp.name)
        self.server.user_add('anna')
        self.server.start()
        self.addCleanup(self.tmp.cleanup)
        self.addCleanup(self.server.stop)
        self.client = synctest.RawClient(self.server.url, 'anna')

    def restart(self, env=None):
        self.server.start(env)
        # the token and the client id survive a restart (they are in the database)

    def crash_on(self, point, n):
        """Restarts the server with its crash hook armed."""
        self.server.stop()
        self.server.start({'LEADS_SERVER_CRASH': f'{point}:{n}'})

    def push_into_crash(self, mutations):
        """Pushes into a server that will die on the way: no answer arrives."""
        with self.assertRaises((ConnectionError, OSError)):
            status, _, body = self.client.push(mutations)
            self.fail(f'the server answered {status} {body} instead of crashing')
        self.assertEqual(self.server.wait_exit(), 70)   # the hook's exit status

    def assert_exactly_once(self, leads, reports, events):
        """LEADS: {uuid: expected rev}; REPORTS: subjects each expected once;
        EVENTS: event uuids each expected once."""
        view = synctest.Observer(self.server.url, 'anna').pull_all()
        got_leads = {u: l['rev'] for u, l in view.get('lead', {}).items()}
        self.assertEqual(got_leads, leads)
        subjects = sorted(a['subject'] for a in view.get('activity', {}).values())
        self.assertEqual(subjects, sorted(reports))
        self.assertEqual(sorted(view.get('event', {})), sorted(events))
        return view


def event_uuids(mutations):
    out = []
    for m in mutations:
        out += [e['uuid'] for e in m['args'].get('events', [])]
    return out


class TestServerCrash(ServerTestCase):
    def batch(self, n_reports):
        """A lead and N contact reports on it, each re-estimating the
        probability (so each also changes the lead: rev 1 + N)."""
        lead, create = self.client.lead_create('Crash test')
        mutations = [create]
        probability = '10'
        for i in range(n_reports):
            new = 20 + i
            _, m = self.client.report(lead, f'Report {i}', new, probability, base_rev=1 + i)
            probability = str(new)
            mutations.append(m)
        return lead, mutations

    def resend_and_check(self, lead, mutations, committed):
        status, _, body = self.client.push(mutations)
        self.assertEqual(status, 200, body)
        self.assertEqual(body['last_mutation_id'], mutations[-1]['id'])
        self.assertEqual([r['duplicate'] for r in body['results']],
                         [True] * committed + [False] * (len(mutations) - committed))
        self.assertTrue(all(r['outcome'] == 'applied' for r in body['results']), body)
        self.assert_exactly_once({lead: len(mutations)},
                                 [f'Report {i}' for i in range(len(mutations) - 1)],
                                 event_uuids(mutations))

    def test_killed_before_commit(self):
        lead, mutations = self.batch(3)
        self.crash_on('before-commit', 1)
        self.push_into_crash(mutations)
        self.restart()
        self.assert_exactly_once({}, [], [])
        self.resend_and_check(lead, mutations, committed=0)

    def test_killed_after_commit_before_reply(self):
        lead, mutations = self.batch(3)
        self.crash_on('after-commit', 1)
        self.push_into_crash(mutations)
        self.restart()
        self.assert_exactly_once({lead: 4}, [f'Report {i}' for i in range(3)],
                                 event_uuids(mutations))
        self.resend_and_check(lead, mutations, committed=4)

    def test_killed_mid_batch(self):
        """The crash after the 3rd of 6 mutations, inside the push's open
        transaction: nothing of it is durable, and nothing was answered."""
        lead, mutations = self.batch(5)
        self.crash_on('mid-batch', 3)
        self.push_into_crash(mutations)
        self.restart()
        self.assert_exactly_once({}, [], [])
        self.resend_and_check(lead, mutations, committed=0)

    def test_killed_mid_batch_after_an_answered_push(self):
        """A first push is answered (durable); the crash comes in the middle
        of the second: the first stays applied once, the second not at all
        until it is sent again."""
        lead, mutations = self.batch(5)
        first, second = mutations[:3], mutations[3:]
        self.crash_on('mid-batch', 5)   # the 2nd mutation of the second push
        status, _, body = self.client.push(first)
        self.assertEqual(status, 200, body)
        self.push_into_crash(second)
        self.restart()
        self.assert_exactly_once({lead: 3}, ['Report 0', 'Report 1'], event_uuids(first))
        self.resend_and_check(lead, mutations, committed=3)

    def test_sigkill_at_random_moments(self):
        """Real SIGKILLs while a pusher sends 40 batches, each again until
        it is answered; the kill moments come from a printed seed."""
        seed = synctest.seeds_from_env([random.SystemRandom().randrange(2**31)])[0]
        print(f'test_sigkill_at_random_moments: seed {seed}', file=sys.stderr)
        rng = random.Random(seed)
        lead, create = self.client.lead_create('Kill test')
        batches = [[create]]
        probability, rev = '10', 1
        for b in range(40):
            batch = []
            for i in range(3):
                new = str(rng.randrange(0, 101))
                while new == probability:
                    new = str(rng.randrange(0, 101))
                _, m = self.client.report(lead, f'Report {b}.{i}', int(new), probability,
                                          base_rev=rev)
                probability, rev = new, rev + 1
                batch.append(m)
            batches.append(batch)

        done = threading.Event()
        failures = []

        def pusher():
            for batch in batches:
                while True:
                    try:
                        status, _, body = self.client.push(batch, timeout=10)
                    except (ConnectionError, OSError):
                        time.sleep(0.01)
                        continue    # the server is down: again (once it is back)
                    if status != 200:
                        failures.append((status, body))
                        done.set()
                        return
                    break
            done.set()

        t = threading.Thread(target=pusher)
        t.start()
        kills = 0
        while not done.is_set() and kills < 5:
            done.wait(rng.uniform(0.01, 0.3))
            if done.is_set():
                break
            self.server.kill()
            kills += 1
            self.restart()
        t.join()
        self.assertEqual(failures, [])
        mutations = [m for batch in batches for m in batch]
        self.assert_exactly_once({lead: len(mutations)},
                                 [f'Report {b}.{i}' for b in range(40) for i in range(3)],
                                 event_uuids(mutations))


class TestSamePushTwice(ServerTestCase):
    def test_same_push_twice_at_once(self):
        lead, create = self.client.lead_create('Twice')
        _, report = self.client.report(lead, 'Once', 60, '10', base_rev=1)
        update = self.client.lead_update(lead, 2, 'owner', 'anna', 'Ben')
        mutations = [create, report, update]
        answers = [None, None]
        barrier = threading.Barrier(2)

        def go(i):
            barrier.wait()
            answers[i] = self.client.push(mutations)

        threads = [threading.Thread(target=go, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for status, _, body in answers:
            self.assertEqual(status, 200, body)
            self.assertEqual(body['last_mutation_id'], 3)
            self.assertTrue(all(r['outcome'] == 'applied' for r in body['results']), body)
        # each mutation was new in exactly one of the two answers
        for i in range(3):
            self.assertEqual(sorted(a[2]['results'][i]['duplicate'] for a in answers),
                             [False, True])
        view = self.assert_exactly_once({lead: 3}, ['Once'], event_uuids(mutations))
        self.assertEqual(view['lead'][lead]['fields']['owner'], 'Ben')
        self.assertEqual(view['lead'][lead]['fields']['probability'], '60')


if __name__ == '__main__':
    LEADS_SERVER = sys.argv.pop(1)
    unittest.main()
