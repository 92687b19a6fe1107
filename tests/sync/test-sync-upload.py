#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The first login's upload (leadsctl login --upload-local) sends every
# lead's whole past: its contact reports and every logged change, once, in
# order, with their own times and authors (lead.history in
# docs/sync-protocol.md). A real leads-server on loopback and real leadsctl
# clients: the uploading database, and a fresh one of another user that
# pulls everything; their histories must be equal, field by field.
#
#   test-sync-upload.py LEADS_SERVER LEADSCTL [unittest arguments]

import collections
import json
import os
import shutil
import sqlite3
import sys
import tempfile
import unittest

import synctest

SERVER = None
LEADSCTL = None

AUTHORS = ('Anna Schäfer', 'Ben Otto', 'Carla Díaz')


class UploadCase(unittest.TestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp(prefix='leads-sync-upload-')
        data = os.path.join(self.root, 'server')
        os.makedirs(data)
        self.server = synctest.Server(SERVER, data)
        for login in ('anna', 'bob'):
            self.server.user_add(login)
        self.server.start()
        # one database, written by three people before its first login
        self.local = {a: synctest.Client(LEADSCTL, self.root, 'anna', author=a) for a in AUTHORS}
        self.anna = self.local[AUTHORS[0]]
        self.bob = synctest.Client(LEADSCTL, self.root, 'bob')

    def tearDown(self):
        self.server.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def login(self, client, login, *more):
        client.login(self.server.url, login, synctest.PASSWORD, *more)

    def events_and_reports(self, client):
        """Every live lead's events and reports straight from the database,
        by UUIDs (local ids differ between databases), in the order the
        history shows them. (A lead deleted before the upload is not sent.)"""
        con = sqlite3.connect(f'file:{client.db}?mode=ro', uri=True)
        try:
            contact = dict(con.execute('SELECT id, uuid FROM contact'))

            def wire(field, value):
                return contact.get(int(value)) if field == 'contact_id' and value else value
            history = collections.defaultdict(list)
            for row in con.execute(
                    'SELECT l.uuid, e.uuid, e.at, e.author, e.field, e.old_value, e.new_value, a.uuid '
                    'FROM lead_event e JOIN lead l ON l.id = e.lead_id '
                    'LEFT JOIN activity a ON a.id = e.activity_id WHERE l.deleted = 0 '
                    'ORDER BY e.at DESC, e.id DESC'):
                history[row[0]].append(('change',) + row[1:5] + (wire(row[4], row[5]), wire(row[4], row[6]), row[7]))
            reports = collections.defaultdict(list)
            for row in con.execute(
                    'SELECT l.uuid, a.uuid, a.at, a.author, a.kind, a.subject, a.text, a.probability, a.phase '
                    'FROM activity a JOIN lead l ON l.id = a.lead_id WHERE l.deleted = 0 '
                    'ORDER BY a.at DESC, a.id DESC'):
                reports[row[0]].append(('report',) + row[1:])
            return dict(history), dict(reports)
        finally:
            con.close()

    def shown_history(self, client, uuid):
        """leadsctl lead show's history of a lead, contacts by UUID."""
        contacts = {c['id']: c['uuid'] for c in client.contacts()}
        lead = [l for l in client.leads() if l['uuid'] == uuid][0]
        history = client.lead_show(lead['id'])['history']
        for entry in history:
            if entry.get('field') == 'contact_id':
                for key in ('old', 'new'):
                    if entry[key]:
                        entry[key] = contacts[int(entry[key])]
        return history

    def server_counts(self):
        view = synctest.Observer(self.server.url, 'bob').pull_all()
        events = collections.Counter(e['lead'] for e in view.get('event', {}).values())
        reports = collections.Counter(a['lead'] for a in view.get('activity', {}).values())
        return view, events, reports


class TestUploadHistory(UploadCase):
    def make_local_history(self):
        anna, ben, carla = (self.local[a] for a in AUTHORS)
        anna.ok('contact', 'add', '--name', 'Müller GmbH')
        person = anna.ok('contact', 'add', '--name', 'Eva Roth', '--person', '--company', 'Müller GmbH').strip()
        boiler = anna.ok('lead', 'add', '--title', 'Boiler', '--contact', 'Müller GmbH', '--volume', '1000',
                         '--probability', '20', '--close-month', '2027-03').strip()
        ben.ok('lead', 'set', boiler, 'probability=30', 'volume=1500', 'close_month=2027-05')
        carla.ok('lead', 'set', boiler, 'phase=proposal', f'contact_id={person}', 'owner=Carla Díaz')
        carla.ok('report', 'add', boiler, '--kind', 'call', '--subject', 'Budget', '--text', 'They have a budget',
                 '--probability', '55', '--at', '2026-10-01T09:30Z')
        ben.ok('report', 'add', boiler, '--kind', 'visit', '--text', 'Site visit', '--phase', 'negotiation',
               '--at', '2026-10-15T14:00Z')
        anna.ok('report', 'add', boiler, '--kind', 'note', '--text', 'No change')
        ben.ok('lead', 'set', boiler, 'status=on_hold')
        anna.ok('lead', 'set', boiler, 'status=open', 'currency=CHF')

        pumps = ben.ok('lead', 'add', '--title', 'Pumps', '--volume', '200').strip()
        carla.ok('report', 'add', pumps, '--kind', 'call', '--text', 'Interested', '--probability', '40')
        anna.ok('lead', 'lost', pumps, '--reason', 'price')

        # a deleted lead is not uploaded
        anna.ok('lead', 'delete', anna.ok('lead', 'add', '--title', 'Gone').strip())
        # a long history: more events than one mutation may carry
        long = anna.ok('lead', 'add', '--title', 'Long story', '--probability', '0').strip()
        for i in range(1, 23):
            self.local[AUTHORS[i % 3]].ok('lead', 'set', long, f'probability={i}', f'volume={i * 100}',
                                          f'owner=Owner {i}', f'close_month=2027-{i % 12 + 1:02d}',
                                          f'phase={("lead", "proposal", "negotiation")[i % 3]}')
        for i in range(3):
            ben.ok('report', 'add', long, '--kind', 'call', '--text', f'Call {i}', '--probability', str(50 + i),
                   '--at', f'2026-09-0{i + 1}T08:00Z')
        uuid = {str(l['id']): l['uuid'] for l in anna.leads()}
        return uuid[boiler], uuid[pumps], uuid[long]

    def test_whole_history_once_in_order(self):
        boiler, pumps, long = self.make_local_history()
        history, reports = self.events_and_reports(self.anna)
        leads = {l['uuid']: l['title'] for l in self.anna.leads()}
        self.assertEqual(sorted(leads.values()), ['Boiler', 'Long story', 'Pumps'])
        self.assertGreater(len(history[long]), 100)        # needs more than one lead.history
        self.assertEqual({e[3] for e in history[boiler]}, set(AUTHORS))
        shown = {uuid: self.shown_history(self.anna, uuid) for uuid in leads}

        self.login(self.anna, 'anna', '--upload-local')
        pending = self.anna.status()['pending']
        self.assertGreater(pending, 2 + 3)                 # contacts, leads and their history
        self.login(self.anna, 'anna', '--upload-local')    # asked again: nothing queued twice
        self.assertEqual(self.anna.status()['pending'], pending)
        rc, _, err = self.anna.sync()
        self.assertEqual(rc, 0, err)
        status = self.anna.status()
        self.assertEqual((status['pending'], status['conflicts']), (0, []))

        # the server has every event and report of the uploaded leads once
        view, events, report_counts = self.server_counts()
        for uuid in leads:
            self.assertEqual(events[uuid], len(history[uuid]), leads[uuid])
            self.assertEqual(report_counts[uuid], len(reports.get(uuid, [])), leads[uuid])
        by_uuid = {e['uuid']: e for e in view['event'].values()}
        for entry in history[boiler]:
            on_server = by_uuid[entry[1]]
            self.assertEqual((on_server['at'] // 1000000, on_server['author'], on_server['field']),
                             (entry[2], entry[3], 'contact' if entry[4] == 'contact_id' else entry[4]))

        # a fresh client of another user pulls the same histories
        self.login(self.bob, 'bob')
        rc, _, err = self.bob.sync()
        self.assertEqual(rc, 0, err)
        for client in (self.anna, self.bob):
            self.assertEqual(self.events_and_reports(client), (history, reports), client.name)
            for uuid in leads:
                self.assertEqual(self.shown_history(client, uuid), shown[uuid], (client.name, leads[uuid]))
        changes = [(h['field'], h['old'], h['new'], h['author']) for h in shown[boiler] if h['kind'] == 'change']
        self.assertIn(('probability', '30', '55', 'Carla Díaz'), changes)       # a report's re-estimate
        self.assertIn(('phase', 'proposal', 'negotiation', 'Ben Otto'), changes)
        self.assertIn(('close_month', '2027-03', '2027-05', 'Ben Otto'), changes)

        # a later upload sends nothing again
        self.login(self.anna, 'anna', '--upload-local')
        self.assertEqual(self.anna.status()['pending'], 0)
        self.assertEqual(self.anna.sync()[0], 0)
        self.assertEqual(self.bob.sync()[0], 0)
        self.assertEqual(self.server_counts()[1:], (events, report_counts))
        self.assertEqual(self.events_and_reports(self.bob), (history, reports))


class TestUploadSample(UploadCase):
    def test_sample_database(self):
        self.anna.ok('generate', '--sample')
        history, reports = self.events_and_reports(self.anna)
        n_leads = len(self.anna.leads())
        self.login(self.anna, 'anna', '--upload-local')
        rc, _, err = self.anna.sync()
        self.assertEqual(rc, 0, err)
        self.assertEqual(self.anna.status()['conflicts'], [])
        self.login(self.bob, 'bob')
        rc, _, err = self.bob.sync()
        self.assertEqual(rc, 0, err)
        self.assertEqual(len(self.bob.leads()), n_leads)
        # the sample's events had no UUIDs before the upload: compare by content
        strip = lambda per_lead: {l: [e[:1] + e[2:] for e in entries] for l, entries in per_lead.items()}
        before = strip(history)
        for client in (self.anna, self.bob):
            got_history, got_reports = self.events_and_reports(client)
            self.assertEqual(strip(got_history), before, client.name)
            self.assertEqual(got_reports, reports, client.name)


if __name__ == '__main__':
    SERVER, LEADSCTL = sys.argv[1], sys.argv[2]
    unittest.main(argv=[sys.argv[0]] + sys.argv[3:], verbosity=2)
