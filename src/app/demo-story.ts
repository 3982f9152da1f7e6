/**
 * The demo organisation and four days of its incidents, as data. Times are hours after the start of
 * the history (four days before now, on the hour); steps later than now are left out.
 */

export interface DemoPerson {
  readonly key: string;
  readonly name: string;
  readonly email: string;
  readonly role: 'responder' | 'viewer';
  readonly timeZone: string;
}

export interface DemoTeam {
  readonly key: string;
  readonly name: string;
  readonly description: string;
  readonly members: readonly string[];
}

export interface DemoEvent {
  readonly kind: 'event';
  readonly atHours: number;
  /** Story key of the alert; also the source's alert id, so a later `Ok` recovers it. */
  readonly incident: string;
  readonly channel: 'kubernetes' | 'databases' | 'payments';
  readonly status: 'Critical' | 'Warning' | 'Info' | 'Ok';
  readonly title: string;
  readonly description: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface DemoAction {
  readonly kind: 'ack' | 'resolve' | 'comment';
  readonly atHours: number;
  readonly incident: string;
  readonly text?: string;
}

export type DemoStep = DemoEvent | DemoAction;

export const DEMO_PEOPLE: readonly DemoPerson[] = [
  { key: 'alice', name: 'Alice Chen', email: 'alice.chen@example.com', role: 'responder', timeZone: 'Europe/London' },
  { key: 'bob', name: 'Bob Martin', email: 'bob.martin@example.com', role: 'responder', timeZone: 'Europe/Berlin' },
  { key: 'carol', name: 'Carol Diaz', email: 'carol.diaz@example.com', role: 'responder', timeZone: 'America/New_York' },
  { key: 'dan', name: 'Dan Okafor', email: 'dan.okafor@example.com', role: 'viewer', timeZone: 'Asia/Singapore' },
];

export const DEMO_TEAMS: readonly DemoTeam[] = [
  { key: 'platform', name: 'Platform (demo)', description: 'Kubernetes, networking and databases.', members: ['alice', 'bob'] },
  { key: 'payments', name: 'Payments (demo)', description: 'Checkout, billing and the payments API.', members: ['carol', 'dan'] },
];

const k8s = (atHours: number, incident: string, status: DemoEvent['status'], title: string, labels: Record<string, string>, description = ''): DemoEvent => ({
  kind: 'event',
  atHours,
  incident,
  channel: 'kubernetes',
  status,
  title,
  description,
  labels: { cluster: 'prod-eu-1', ...labels },
});

const db = (atHours: number, incident: string, status: DemoEvent['status'], title: string, host: string, description = ''): DemoEvent => ({
  kind: 'event',
  atHours,
  incident,
  channel: 'databases',
  status,
  title,
  description,
  labels: { host, service: 'postgresql' },
});

const pay = (atHours: number, incident: string, status: DemoEvent['status'], title: string, labels: Record<string, string>, description = ''): DemoEvent => ({
  kind: 'event',
  atHours,
  incident,
  channel: 'payments',
  status,
  title,
  description,
  labels: { service: 'payments-api', ...labels },
});

const ack = (atHours: number, incident: string): DemoAction => ({ kind: 'ack', atHours, incident });
const resolve = (atHours: number, incident: string, text: string): DemoAction => ({ kind: 'resolve', atHours, incident, text });
const comment = (atHours: number, incident: string, text: string): DemoAction => ({ kind: 'comment', atHours, incident, text });

export const DEMO_STORY: readonly DemoStep[] = [
  // Day 1: a noisy deploy in the morning, a replica lag in the afternoon.
  k8s(9.2, 'crashloop-checkout', 'Critical', 'KubePodCrashLooping', { namespace: 'checkout', pod: 'checkout-7d9f-x2' }, 'Pod checkout-7d9f-x2 is restarting 4 times / 5 minutes.'),
  k8s(9.25, 'crashloop-checkout-2', 'Critical', 'KubePodCrashLooping', { namespace: 'checkout', pod: 'checkout-7d9f-k8' }, 'Pod checkout-7d9f-k8 is restarting 3 times / 5 minutes.'),
  ack(9.3, 'crashloop-checkout'),
  comment(9.4, 'crashloop-checkout', 'Rolled back checkout to v2.41.0; the new config map missed `PAYMENTS_URL`.'),
  k8s(9.6, 'crashloop-checkout', 'Ok', 'KubePodCrashLooping', { namespace: 'checkout', pod: 'checkout-7d9f-x2' }),
  k8s(9.6, 'crashloop-checkout-2', 'Ok', 'KubePodCrashLooping', { namespace: 'checkout', pod: 'checkout-7d9f-k8' }),
  db(15.5, 'replica-lag', 'Warning', 'Replication lag above 30 s on db-replica-2', 'db-replica-2', 'Replica is 48 s behind the primary.'),
  ack(15.7, 'replica-lag'),
  db(16.4, 'replica-lag', 'Ok', 'Replication lag above 30 s on db-replica-2', 'db-replica-2'),
  // Night 1: the payments provider times out at 03:00 and wakes Carol.
  pay(27.1, 'psp-timeouts', 'Critical', 'Payment provider timeouts above 5 %', { provider: 'acme-pay', region: 'us-east' }, '7.2 % of authorisations timed out in the last 5 minutes.'),
  ack(27.2, 'psp-timeouts'),
  comment(27.5, 'psp-timeouts', 'Failed over to the secondary provider; opened a ticket with Acme Pay.'),
  resolve(28.3, 'psp-timeouts', 'Acme Pay had a partial outage in us-east; the failover kept checkout working.'),
  // Day 2: disk space, a certificate, a node under memory pressure.
  db(33, 'disk-db1', 'Warning', 'Free disk space below 15 % on db-01', 'db-01', '/var/lib/postgresql has 12 % free.'),
  ack(33.4, 'disk-db1'),
  db(35.2, 'disk-db1', 'Ok', 'Free disk space below 15 % on db-01', 'db-01'),
  k8s(38, 'cert-expiry', 'Warning', 'CertificateExpiringSoon', { namespace: 'ingress', certificate: 'api.example.com' }, 'The TLS certificate of api.example.com expires in 6 days.'),
  ack(38.5, 'cert-expiry'),
  resolve(40, 'cert-expiry', 'Renewed through cert-manager; the issuer had lost its DNS credentials.'),
  k8s(44.5, 'node-memory', 'Critical', 'KubeNodeMemoryPressure', { namespace: 'kube-system', node: 'ip-10-0-3-17' }, 'Node ip-10-0-3-17 reports MemoryPressure.'),
  ack(44.6, 'node-memory'),
  k8s(45.2, 'node-memory', 'Ok', 'KubeNodeMemoryPressure', { namespace: 'kube-system', node: 'ip-10-0-3-17' }),
  // Day 3: a slow checkout and a brief error spike.
  pay(57, 'checkout-latency', 'Warning', 'Checkout p99 latency above 2 s', { endpoint: '/v1/checkout' }, 'p99 is 2.8 s (budget 2 s).'),
  ack(57.3, 'checkout-latency'),
  pay(58.1, 'checkout-latency', 'Ok', 'Checkout p99 latency above 2 s', { endpoint: '/v1/checkout' }),
  pay(63.4, 'error-spike', 'Critical', 'HTTP 5xx above 2 % on payments-api', { endpoint: '/v1/refunds' }, '3.1 % of refund requests fail with 502.'),
  ack(63.5, 'error-spike'),
  resolve(64, 'error-spike', 'A bad deploy of the refunds worker; rolled back.'),
  db(70, 'connections', 'Warning', 'Connections above 85 % of max_connections on db-01', 'db-01', '172 of 200 connections in use.'),
  ack(70.2, 'connections'),
  db(71, 'connections', 'Ok', 'Connections above 85 % of max_connections on db-01', 'db-01'),
  // Today: one incident being worked on, one just in.
  k8s(91, 'pvc-full', 'Warning', 'KubePersistentVolumeFillingUp', { namespace: 'monitoring', persistentvolumeclaim: 'prometheus-db' }, 'The volume prometheus-db is expected to fill up within 24 hours.'),
  ack(91.3, 'pvc-full'),
  comment(91.5, 'pvc-full', 'Expanding the volume to 200 GiB; retention stays at 15 days.'),
  pay(95.2, 'webhook-backlog', 'Critical', 'Payment webhooks backlog above 1 000', { queue: 'webhooks-out' }, '1 420 webhook deliveries are waiting; the oldest for 6 minutes.'),
];
