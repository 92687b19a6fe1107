#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Server-side figures of leads-server on loopback (a benchmark, not a test):
#
#   bench-server.py PATH/TO/leads-server [--clients N] [--mutations M] [--batch B] [--leads L]
#
# 1. push: N clients (threads, one HTTP connection each) push M lead.update
#    mutations each, B per request; prints mutations/s and request latency
#    percentiles (each mutation its own durable transaction).
# 2. pull: L leads created, then one client pulls everything from null in
#    pages of 500; prints rows/s, bytes and the time of a no-change pull.
# The multi-client, end-to-end benchmark with the app's sync engine is
# tests/sync's; this one measures the server alone.

import argparse
import http.client
import json
import os
import statistics
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import importlib.util  # noqa: E402

spec = importlib.util.spec_from_file_location('ts', os.path.join(os.path.dirname(os.path.abspath(__file__)), 'test-server.py'))
ts = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ts)


class Connection:
    """One keep-alive HTTP connection with a token."""

    def __init__(self, base, token):
        host, port = base.split('//')[1].split(':')
        self.conn = http.client.HTTPConnection(host, int(port), timeout=120)
        self.token = token

    def post(self, path, body):
        data = json.dumps(body).encode()
        self.conn.request('POST', path, data, {'Authorization': 'Bearer ' + self.token,
                                               'Content-Type': 'application/json'})
        resp = self.conn.getresponse()
        text = resp.read()
        if resp.status != 200:
            raise RuntimeError('%d %s' % (resp.status, text[:200]))
        return text


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('server')
    parser.add_argument('--clients', type=int, default=1)
    parser.add_argument('--mutations', type=int, default=2000)
    parser.add_argument('--batch', type=int, default=50)
    parser.add_argument('--leads', type=int, default=20000)
    args = parser.parse_args()
    ts.SERVER = os.path.abspath(args.server)

    with tempfile.TemporaryDirectory(prefix='leads-server-bench-') as tmp:
        server = ts.Server(os.path.join(tmp, 'data'))
        logins = ['user%d' % i for i in range(args.clients)]
        for login in logins:
            server.cli('user', 'add', login, password=ts.PASSWORD)
        server.start()
        try:
            clients = [server.login(login) for login in logins]
            # each client its own lead, created first
            leads = []
            for c in clients:
                lead = ts.new_uuid()
                c.push_ok(c.mutation('lead.create', ts.lead_record(lead)))
                leads.append(lead)

            latencies, lock = [], threading.Lock()

            def work(c, lead):
                conn = Connection(server.base, c.token)
                value = 125000
                for start in range(0, args.mutations, args.batch):
                    batch = []
                    for _ in range(min(args.batch, args.mutations - start)):
                        batch.append(c.mutation('lead.update', {'uuid': lead, 'base_rev': 1, 'fields': {
                            'volume_minor': {'value': str(value + 1), 'base': str(value)}}}))
                        value += 1
                    t0 = time.perf_counter()
                    conn.post('/api/v1/sync/push', {'client_id': c.client_id, 'mutations': batch})
                    with lock:
                        latencies.append(time.perf_counter() - t0)

            threads = [threading.Thread(target=work, args=(c, lead)) for c, lead in zip(clients, leads)]
            t0 = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.perf_counter() - t0
            total = args.mutations * args.clients
            print('push: %d clients x %d lead.update in requests of %d: %.2f s, %.0f mutations/s, '
                  'request latency p50 %.1f ms p99 %.1f ms' % (
                      args.clients, args.mutations, args.batch, elapsed, total / elapsed,
                      1000 * statistics.median(latencies), 1000 * percentile(latencies, 99)))

            # pull: L leads from one client, then a full download
            c = clients[0]
            conn = Connection(server.base, c.token)
            for start in range(0, args.leads, 100):
                batch = [c.mutation('lead.create', ts.lead_record(ts.new_uuid(), title='Lead %d' % i))
                         for i in range(start, min(args.leads, start + 100))]
                conn.post('/api/v1/sync/push', {'client_id': c.client_id, 'mutations': batch})
            cursor, rows, size = None, 0, 0
            t0 = time.perf_counter()
            while True:
                text = conn.post('/api/v1/sync/pull', {'client_id': c.client_id, 'cursor': cursor, 'limit': 500})
                page = json.loads(text)
                rows += len(page['rows'])
                size += len(text)
                cursor = page['cursor']
                if not page['has_more']:
                    break
            elapsed = time.perf_counter() - t0
            print('pull: %d rows (%d leads), %.1f MB in %.2f s: %.0f rows/s, %.1f MB/s' % (
                rows, args.leads, size / 1e6, elapsed, rows / elapsed, size / 1e6 / elapsed))
            times = []
            for _ in range(20):
                t0 = time.perf_counter()
                conn.post('/api/v1/sync/pull', {'client_id': c.client_id, 'cursor': cursor, 'limit': 500})
                times.append(time.perf_counter() - t0)
            print('no-change pull: median %.2f ms, max %.2f ms' % (1000 * statistics.median(times), 1000 * max(times)))
        finally:
            server.stop()


if __name__ == '__main__':
    main()
