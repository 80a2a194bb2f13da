import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from './config';

describe('readConfig', () => {
  it('has the documented defaults', () => {
    const c = readConfig({});
    expect(c.port).toBe(3000);
    expect(c.host).toBe('127.0.0.1');
    expect(c.origin).toBe('http://localhost:3000');
    expect(c.dialect).toBe('sqlite');
    expect(c.databaseUrl).toBe(path.resolve('data/relais.db'));
    expect(c.dataDir).toBe(path.resolve('data'));
    expect(c.masterKeyFile).toBe(path.resolve('data/master.key'));
    expect(c.purgeEveryHours).toBe(6);
  });
  it('recognises a PostgreSQL URL', () => {
    expect(readConfig({ DATABASE_URL: 'postgres://u:p@db:5432/relais' }).dialect).toBe('postgres');
    expect(readConfig({ DATABASE_URL: 'postgresql://db/relais' }).dialect).toBe('postgres');
  });
  it('names the variable at fault', () => {
    const fault = (env: Record<string, string>) => {
      try {
        readConfig(env);
      } catch (error) {
        return (error as ConfigError).variable;
      }
      return null;
    };
    expect(fault({ PORT: 'eighty' })).toBe('PORT');
    expect(fault({ PORT: '70000' })).toBe('PORT');
    expect(fault({ ORIGIN: 'not a url' })).toBe('ORIGIN');
    expect(fault({ ORIGIN: 'https://relais.example.org/path' })).toBe('ORIGIN');
    expect(fault({ RELAIS_QUICK_EXIT_URL: 'javascript:alert(1)' })).toBe('RELAIS_QUICK_EXIT_URL');
    expect(fault({ RELAIS_LOG_LEVEL: 'loud' })).toBe('RELAIS_LOG_LEVEL');
    expect(fault({ RELAIS_PURGE_EVERY_HOURS: '-1' })).toBe('RELAIS_PURGE_EVERY_HOURS');
    expect(fault({ RELAIS_PURGE_EVERY_HOURS: 'daily' })).toBe('RELAIS_PURGE_EVERY_HOURS');
    expect(readConfig({ RELAIS_PURGE_EVERY_HOURS: '0' }).purgeEveryHours).toBe(0);
    expect(fault({ RELAIS_OWNER_DATABASE_URL: 'postgres://owner@db/relais' })).toBe('RELAIS_OWNER_DATABASE_URL');
    expect(fault({ DATABASE_URL: 'postgres://app@db/relais', RELAIS_OWNER_DATABASE_URL: '/tmp/x.db' })).toBe('RELAIS_OWNER_DATABASE_URL');
  });
  it('takes the owner role’s URL beside the app’s on PostgreSQL', () => {
    const c = readConfig({ DATABASE_URL: 'postgres://relais_app@db/relais', RELAIS_OWNER_DATABASE_URL: 'postgres://relais_owner@db/relais' });
    expect(c).toMatchObject({ databaseUrl: 'postgres://relais_app@db/relais', ownerDatabaseUrl: 'postgres://relais_owner@db/relais' });
    expect(readConfig({ DATABASE_URL: 'postgres://relais_app@db/relais' }).ownerDatabaseUrl).toBeUndefined();
  });
  it('takes SMTP for reminders only with a sender, and never echoes the SMTP URL', () => {
    expect(readConfig({})).toMatchObject({ smtpUrl: undefined, mailFrom: undefined });
    const c = readConfig({ RELAIS_SMTP_URL: 'smtp://relais:s3cret@mail.example.org:587', RELAIS_MAIL_FROM: 'Relais <relais@association.example>' });
    expect(c).toMatchObject({ smtpUrl: 'smtp://relais:s3cret@mail.example.org:587', mailFrom: 'Relais <relais@association.example>' });
    expect(readConfig({ RELAIS_SMTP_URL: 'smtps://mail.example.org', RELAIS_MAIL_FROM: 'relais@association.example' }).mailFrom).toBe('relais@association.example');
    const error = (env: Record<string, string>) => {
      try {
        readConfig(env);
      } catch (e) {
        return e as ConfigError;
      }
      return null;
    };
    expect(error({ RELAIS_SMTP_URL: 'smtp://mail.example.org' })?.variable).toBe('RELAIS_MAIL_FROM');
    expect(error({ RELAIS_SMTP_URL: 'http://relais:s3cret@mail.example.org', RELAIS_MAIL_FROM: 'a@b.example' })?.variable).toBe('RELAIS_SMTP_URL');
    expect(error({ RELAIS_SMTP_URL: 'http://relais:s3cret@mail.example.org', RELAIS_MAIL_FROM: 'a@b.example' })?.message).not.toContain('s3cret');
    expect(error({ RELAIS_SMTP_URL: 'not a url', RELAIS_MAIL_FROM: 'a@b.example' })?.variable).toBe('RELAIS_SMTP_URL');
    expect(error({ RELAIS_SMTP_URL: 'smtp://mail.example.org', RELAIS_MAIL_FROM: 'Relais' })?.variable).toBe('RELAIS_MAIL_FROM');
    expect(error({ RELAIS_SMTP_URL: 'smtp://mail.example.org', RELAIS_MAIL_FROM: 'a@b.example\nBcc: x@y.example' })?.variable).toBe('RELAIS_MAIL_FROM');
  });
});
