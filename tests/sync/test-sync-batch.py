#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# 413 batch halving, for real: a leads-server started with a small
# --max-body answers 413 too_large to pushes over it; a real leadsctl with
# a backlog (the 300-lead sample, uploaded after the login) must halve its
# batch until a push fits, send every mutation exactly once, and empty its
# outbox. A single mutation larger than the limit must stop the round with
# a clear error naming it, after one request, not loop.
#
# The client's own debug output (G_MESSAGES_DEBUG=crm-sync, on stdout)
# lists every push: "push: N mutations from ID: HTTP STATUS".
#
#   test-sync-batch.py LEADS_SERVER LEADSCTL [unittest arguments]

import os
import re
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import synctest  # noqa: E402

LEADS_SERVER = None
LEADSCTL = None
PUSH = re.compile(r'push: (\d+) mutations from (\d+): HTTP (\d+)')


class BatchTestCase(unittest.TestCase):
    maxDiff = None
    max_body = 16384

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix='leads-sync-batch-')
        self.addCleanup(self.tmp.cleanup)
        self.server = synctest.Server(LEADS_SERVER, self.tmp.name,
                                      ['--max-body', str(self.max_body)])
        self.server.user_add('anna')
        self.server.start()
        self.addCleanup(self.server.stop)
        self.client = synctest.Client(LEADSCTL, self.tmp.name, 'anna')
        self.client.env['G_MESSAGES_DEBUG'] = 'crm-sync'

    def pushes(self, stderr):
        return [(int(n), int(first), int(status)) for n, first, status in PUSH.findall(stderr)]


class TestBatchHalving(BatchTestCase):
    def test_backlog_through_small_bodies(self):
        self.client.ok('generate', '--sample')
        self.client.login(self.server.url, 'anna', synctest.PASSWORD, '--upload-local')
        pending = self.client.status()['pending']
        self.assertGreater(pending, 300)

        rc, out, err = self.client.sync()
        self.assertEqual(rc, 0, err)
        pushes = self.pushes(out)
        synctest.log('pushes:', pushes)

        # 413 first: 100 mutations do not fit in 16 KiB; each 413 is
        # followed by half as many from the same mutation, each success by
        # the next ones: every mutation went out in exactly one accepted push.
        self.assertEqual(pushes[0][0], 100)
        self.assertEqual(pushes[0][2], 413)
        self.assertEqual(pushes[0][1], 1)
        accepted = []
        for (n, first, status), (n2, first2, _) in zip(pushes, pushes[1:] + [(0, None, 0)]):
            self.assertIn(status, (200, 413))
            if status == 413:
                self.assertEqual((n2, first2), (n // 2, first))
            else:
                accepted.append((first, n))
                if first2 is not None:
                    self.assertEqual(first2, first + n)
        self.assertEqual(sum(n for _, n in accepted), pending)
        self.assertEqual([first for first, _ in accepted],
                         [1 + sum(n for _, n in accepted[:i]) for i in range(len(accepted))])
        self.assertGreaterEqual(sum(1 for p in pushes if p[2] == 413), 2)

        # the server holds each of them once: every lead and contact, each
        # lead at revision 1 (made once, never applied again)
        self.assertEqual(self.client.status()['pending'], 0)
        view = synctest.Observer(self.server.url, 'anna').pull_all()
        snapshot = self.client.snapshot()
        self.assertEqual(sorted(view['lead']), sorted(r[1] for r in snapshot['lead']))
        self.assertEqual({lead['rev'] for lead in view['lead'].values()}, {1})
        self.assertEqual(len(view['contact']), len(snapshot['contact']))


class TestSingleTooLarge(BatchTestCase):
    max_body = 2048

    def test_max_body_option(self):
        status, _, info = synctest.http_json('GET', self.server.url + '/api/v1/info')
        self.assertEqual(status, 200)
        self.assertEqual(info['limits']['body_bytes'], 2048)
        status, _, body = synctest.http_json('POST', self.server.url + '/api/v1/sync/push',
                                             {'pad': 'x' * 3000}, token='whatever')
        self.assertEqual(status, 413)
        self.assertEqual(body['error']['code'], 'too_large')
        self.assertIn('at most 2048', body['error']['message'])
        for bad in ('100', '5000000', 'many'):
            p = self.server.cli('--max-body', bad, check=False)
            self.assertEqual(p.returncode, 2, p.stderr)
            self.assertIn('--max-body', p.stderr)

    def test_one_mutation_over_the_limit(self):
        self.client.login(self.server.url, 'anna')
        self.client.ok('lead', 'add', '--title', 'Small')
        self.client.ok('lead', 'add', '--title', 'Huge', '--description', 'x' * 4000)
        self.client.ok('lead', 'add', '--title', 'After')

        for attempt in range(2):
            rc, out, err = self.client.sync()
            self.assertEqual(rc, 1, err)
            pushes = self.pushes(out)
            # the first sync: 3 at once (413), then 1 (fits), then the huge one
            # alone (the batch stays halved within the round: 413), and the
            # round stops; the next sync starts whole and halves once more
            if attempt == 0:
                self.assertEqual(pushes, [(3, 1, 413), (1, 1, 200), (1, 2, 413)])
            else:
                self.assertEqual(pushes, [(2, 2, 413), (1, 2, 413)])
            message = err.strip().splitlines()[-1]
            self.assertIn('change 2 (lead.create) is too large', message)
            self.assertIn('--max-body', message)
            self.assertEqual(self.client.status()['pending'], 2)

        view = synctest.Observer(self.server.url, 'anna').pull_all()
        self.assertEqual(sorted(lead['fields']['title'] for lead in view.get('lead', {}).values()), ['Small'])


if __name__ == '__main__':
    LEADS_SERVER = sys.argv.pop(1)
    LEADSCTL = sys.argv.pop(1)
    unittest.main(verbosity=2)
