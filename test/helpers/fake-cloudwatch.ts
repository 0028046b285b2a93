// A fake Amazon CloudWatch GetMetricData, speaking what @aws-sdk/client-cloudwatch v3 sends today:
// the AWS JSON 1.0 protocol (POST /, Content-Type application/x-amz-json-1.0,
// X-Amz-Target GraniteServiceVersion20100801.GetMetricData, x-amzn-query-mode: true), signed with
// Signature Version 4 (docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html),
// which this fake verifies against the secret of its one access key.
//   request  { MetricDataQueries: [{ Id, MetricStat: { Metric, Period, Stat } | Expression, Period }],
//              StartTime, EndTime (epoch seconds), ScanBy, MaxDatapoints }
//   200      { MetricDataResults: [{ Id, Label, Timestamps: [epoch s], Values, StatusCode }], Messages }
//   400/403  { __type: "com.amazon.coral.service#<Code>", message } with x-amzn-query-error: <QueryCode>;Sender
import { createHash, createHmac } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { sendJson, startServer, type TestServer } from './http-server.ts';

export interface FakeDatapoints {
  label?: string;
  points: [epochSeconds: number, value: number][];
}

export interface FakeCloudWatch {
  url: string;
  server: TestServer;
  /** The GetMetricData request bodies, in order. */
  requests: Record<string, unknown>[];
  /** The results for a request's one query (by default one empty series). */
  results: (query: Record<string, unknown>) => FakeDatapoints[];
  close(): Promise<void>;
}

const TARGET = 'GraniteServiceVersion20100801.GetMetricData';

export async function startFakeCloudWatch(
  accessKeyId: string,
  secretAccessKey: string,
  region: string,
): Promise<FakeCloudWatch> {
  const requests: Record<string, unknown>[] = [];
  const fake: Partial<FakeCloudWatch> = { requests, results: () => [{ points: [] }] };
  const error = (
    res: Parameters<typeof sendJson>[0],
    status: number,
    code: string,
    query: string,
    message: string,
  ) =>
    sendJson(
      res,
      status,
      { __type: `com.amazon.coral.service#${code}`, message },
      {
        'Content-Type': 'application/x-amz-json-1.0',
        'x-amzn-query-error': `${query};Sender`,
      },
    );
  const server = await startServer((req, res, raw) => {
    if (req.method !== 'POST' || req.url !== '/' || req.headers['x-amz-target'] !== TARGET)
      return error(res, 400, 'UnknownOperationException', 'InvalidAction', 'unknown operation');
    const auth = checkSignature(req, raw, accessKeyId, secretAccessKey, region);
    if (auth === 'unknown key')
      return error(
        res,
        400,
        'UnrecognizedClientException',
        'InvalidClientTokenId',
        'The security token included in the request is invalid.',
      );
    if (auth === 'bad signature')
      return error(
        res,
        400,
        'InvalidSignatureException',
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided.',
      );
    if (auth === 'missing')
      return error(
        res,
        400,
        'MissingAuthenticationTokenException',
        'MissingAuthenticationToken',
        'Request is missing Authentication Token',
      );
    const body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    requests.push(body);
    const queries = (body['MetricDataQueries'] ?? []) as Record<string, unknown>[];
    if (typeof body['StartTime'] !== 'number' || typeof body['EndTime'] !== 'number' || queries.length === 0)
      return error(
        res,
        400,
        'InvalidParameterValueException',
        'InvalidParameterValue',
        'StartTime, EndTime and MetricDataQueries are required',
      );
    const [query] = queries;
    const results = fake.results!(query!);
    sendJson(
      res,
      200,
      {
        MetricDataResults: results.map((r, i) => {
          const points = [...r.points].sort((a, b) =>
            body['ScanBy'] === 'TimestampAscending' ? a[0] - b[0] : b[0] - a[0],
          );
          return {
            Id: results.length === 1 ? query!['Id'] : `${String(query!['Id'])}_${i}`,
            Label: r.label ?? 'gate',
            Timestamps: points.map((p) => p[0]),
            Values: points.map((p) => p[1]),
            StatusCode: 'Complete',
          };
        }),
        Messages: [],
      },
      { 'Content-Type': 'application/x-amz-json-1.0' },
    );
  });
  Object.assign(fake, { url: server.url, server, close: () => server.close() });
  return fake as FakeCloudWatch;
}

type Verdict = 'ok' | 'missing' | 'unknown key' | 'bad signature';

/** SigV4: rebuild the canonical request and string to sign, and compare signatures. */
function checkSignature(
  req: IncomingMessage,
  body: Buffer,
  keyId: string,
  secret: string,
  region: string,
): Verdict {
  const header = req.headers['authorization'];
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
      header ?? '',
    );
  if (!match) return 'missing';
  const [, id, date, signedRegion, service, signedHeaders, signature] = match;
  if (id !== keyId) return 'unknown key';
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
  const canonicalHeaders = signedHeaders!
    .split(';')
    .map(
      (name) =>
        `${name}:${String(req.headers[name] ?? '')
          .trim()
          .replace(/\s+/g, ' ')}\n`,
    )
    .join('');
  const canonical = ['POST', '/', '', canonicalHeaders, signedHeaders, sha256(body)].join('\n');
  const scope = `${date}/${signedRegion}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date!), signedRegion!), service!), 'aws4_request');
  const expected = createHmac('sha256', key).update(toSign).digest('hex');
  if (signedRegion !== region || service !== 'monitoring' || expected !== signature) return 'bad signature';
  return 'ok';
}
