import { expectCountsAddUp, importCsv, toCsv } from './support/import';
import { describeEachDatabase } from './support/test-app';

/** Pairs of cells that name one mailbox: the second import must find the first's lead. */
const EQUIVALENT = [
  ['ｊａｎｅ@acme.com', 'jane@acme.com'],
  ['user@BÜCHER.de', 'user@xn--bcher-kva.de'],
  ['"jane"@acme.com', 'jane@acme.com'],
];

describeEachDatabase('one identity per mailbox', (ctx) => {
  it.each(EQUIVALENT)('stores %j once and finds it again as %j, in one file and across imports', async (a, b) => {
    for (const cleanup of ['true', 'false']) {
      const { key } = await ctx().newWorkspace();
      const inOneFile = await importCsv(ctx(), key, toCsv([['Email'], [a], [b]]), { dataCleanup: cleanup }).expect(200);
      expect(inOneFile.body.data).toMatchObject({ imported: 1, skipped: 1, failed: 0 });
      expectCountsAddUp(inOneFile.body.data);

      const list = await ctx().http().get('/v1/leads').set('X-Api-Key', key).expect(200);
      expect(list.body.data.leads).toHaveLength(1);
      // The stored email is what the first row said (tidied), not the canonical form.
      expect(list.body.data.leads[0].email).toBe(cleanup === 'true' ? a.toLowerCase() : a);

      const again = await importCsv(
        ctx(),
        key,
        toCsv([
          ['Email', 'City'],
          [b, 'Lyon'],
        ]),
        {
          dataCleanup: cleanup,
          skipDuplicates: 'false',
        },
      ).expect(200);
      expect(again.body.data).toMatchObject({ imported: 0, updated: 1 });
      expect(again.body.data.importedLeadIds).toEqual([]);

      for (const query of [a, b]) {
        const found = await ctx().http().get('/v1/leads').query({ email: query }).set('X-Api-Key', key).expect(200);
        expect(found.body.data.leads.map((lead: { id: string }) => lead.id)).toEqual([list.body.data.leads[0].id]);
      }
    }
  });

  it('keeps addresses that need their quotes or differ in the local part apart', async () => {
    const { key } = await ctx().newWorkspace();
    const res = await importCsv(
      ctx(),
      key,
      toCsv([['Email'], ['"john doe"@example.com'], ['johndoe@example.com'], ['jane@acme.com'], ['jane@acme.co']]),
    ).expect(200);
    expect(res.body.data).toMatchObject({ imported: 4, skipped: 0, failed: 0 });
  });
});

describeEachDatabase('formula-like emails: one rule', (ctx) => {
  it('fails every email whose local part starts with =, +, - or @ (also quoted or fullwidth), cleanup on or off', async () => {
    const formulas = ['=cmd@acme.com', '+cmd@acme.com', '-cmd@acme.com', '"@sum(a1)"@acme.com', '＝cmd@acme.com'];
    for (const cleanup of ['true', 'false']) {
      const { key } = await ctx().newWorkspace();
      const res = await importCsv(
        ctx(),
        key,
        toCsv([['Email'], ...formulas.map((email) => [email]), ['a+b-c@acme.com']]),
        {
          dataCleanup: cleanup,
        },
      ).expect(200);
      expect(res.body.data).toMatchObject({ imported: 1, failed: formulas.length });
      expect(res.body.data.errors.map((e: { row: number; error: string }) => [e.row, e.error])).toEqual(
        formulas.map((_, i) => [i + 1, 'Invalid email format']),
      );
    }
  });
});
