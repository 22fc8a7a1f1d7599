import { emailQuality } from './email-quality';

describe('emailQuality', () => {
  it('flags role, disposable and free addresses', () => {
    expect(emailQuality('info@acme.com').flags).toEqual(['role']);
    expect(emailQuality('sales+eu@acme.com').flags).toEqual(['role']);
    expect(emailQuality('jane@mailinator.com').flags).toEqual(['disposable']);
    expect(emailQuality('support@gmail.com').flags).toEqual(['role', 'free']);
    expect(emailQuality('jane@acme.com')).toEqual({ flags: [] });
  });

  it('suggests the provider a typo meant, without changing anything', () => {
    expect(emailQuality('jane@gmial.com')).toEqual({ flags: [], suggestion: 'jane@gmail.com' });
    expect(emailQuality('jane@yahooo.com').suggestion).toBe('jane@yahoo.com');
  });
});
