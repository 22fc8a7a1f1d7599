import { newId } from '../src/common/object-id';
import { WebhookDeliveries } from '../src/webhooks/webhook-deliveries';
import { WebhookDelivery } from '../src/webhooks/webhook-delivery.entity';
import { importCsv, toCsv } from './support/import';
import { describeEachDatabase } from './support/test-app';
import { eventually, WebhookReceiver } from './support/webhook-receiver';

const CSV = toCsv([['Email'], ['jane@acme.com']]);
const ALLOWED =
  'Webhooks go only to http(s) URLs whose host is a public address (not private, loopback, link-local, ' +
  'unique-local, multicast or unspecified).';

describeEachDatabase('Import webhooks: where they may go (WEBHOOK_ALLOW_PRIVATE off)', (ctx) => {
  async function refused(webhookUrl: string): Promise<string> {
    const { key } = await ctx().newWorkspace();
    const res = await importCsv(ctx(), key, CSV, { webhookUrl }).expect(400);
    expect(res.body.error.code).toBe('VALIDATION_ERROR');
    // Refused before anything is read or written.
    const imports = await ctx().http().get('/v1/leads/imports').set('X-Api-Key', key).expect(200);
    expect(imports.body.data.imports).toEqual([]);
    return res.body.error.message as string;
  }

  it.each([
    ['http://127.0.0.1:8080/hook', 'webhookUrl points to 127.0.0.1, a loopback address.'],
    ['http://10.1.2.3/hook', 'webhookUrl points to 10.1.2.3, a private address.'],
    ['http://192.168.0.10/hook', 'webhookUrl points to 192.168.0.10, a private address.'],
    ['http://169.254.169.254/latest/meta-data/', 'webhookUrl points to 169.254.169.254, a link-local address.'],
    ['http://[::1]:3000/', 'webhookUrl points to ::1, a loopback address.'],
    ['http://[fe80::1]/', 'webhookUrl points to fe80::1, a link-local address.'],
    ['http://[fd00::5]/', 'webhookUrl points to fd00::5, a unique-local address.'],
    ['http://[::ffff:127.0.0.1]/', 'webhookUrl points to ::ffff:7f00:1, a loopback address.'],
    ['http://0.0.0.0:3000/', 'webhookUrl points to 0.0.0.0, an unspecified address.'],
    ['http://224.0.0.1/', 'webhookUrl points to 224.0.0.1, a multicast address.'],
    // The URL standard reads a bare number as an IPv4 address: 2130706433 is 127.0.0.1.
    ['http://2130706433/', 'webhookUrl points to 127.0.0.1, a loopback address.'],
  ])('refuses %s with 400', async (url, message) => {
    expect(await refused(url)).toBe(`${message} ${ALLOWED}`);
  });

  it('refuses a host name that resolves to a loopback address (localhost)', async () => {
    const message = await refused('http://localhost:8080/hook');
    expect(message).toMatch(
      /^webhookUrl points to (127\.0\.0\.1|::1) \(its host "localhost" resolves to it\), a loopback address\./,
    );
    expect(message).toContain(ALLOWED);
  });

  it('refuses other schemes, non-URLs, user names, over-long URLs and hosts that do not resolve', async () => {
    expect(await refused('ftp://files.example.com/drop')).toBe(
      `webhookUrl must start with https:// or http:// (got "ftp:"). ${ALLOWED}`,
    );
    expect(await refused('hooks.example.com/leadport')).toBe(
      'webhookUrl must be an absolute http(s) URL such as https://hooks.example.com/leadport (got ' +
        '"hooks.example.com/leadport").',
    );
    expect(await refused('https://ann:secret@hooks.example.com/')).toContain(
      'webhookUrl must not contain a user name or password',
    );
    expect(await refused(`https://hooks.example.com/${'a'.repeat(2_030)}`)).toBe(
      'webhookUrl must be at most 2,048 characters.',
    );
    expect(await refused('https://no-such-host.invalid/hook')).toMatch(
      /^webhookUrl's host "no-such-host\.invalid" could not be resolved \(\w+\)\. Check the host name\.$/,
    );
  });

  it('refuses at send time too, without retrying, a delivery whose host is not public', async () => {
    const receiver = await WebhookReceiver.start();
    try {
      const { workspaceId } = await ctx().newWorkspace();
      const importId = newId();
      // As if the host had resolved to a public address when the import was asked for, and to loopback now.
      await ctx()
        .app.get(WebhookDeliveries)
        .enqueue({ workspaceId, importId, url: receiver.url(), event: 'import.completed', data: {} });
      const ended = await eventually(async () => {
        const row = await ctx().dataSource.getRepository(WebhookDelivery).findOneByOrFail({ importId });
        return row.status === 'pending' ? undefined : row;
      }, 'the delivery ends');
      expect(ended).toMatchObject({ status: 'failed', attempts: 1, lastStatusCode: null });
      expect(ended.lastError).toBe('webhookUrl points to 127.0.0.1, a loopback address. Not sent.');
      expect(receiver.received).toEqual([]);
    } finally {
      await receiver.close();
    }
  });
});
