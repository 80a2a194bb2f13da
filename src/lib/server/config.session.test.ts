import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from './config';

describe('session limits in the configuration', () => {
  it('defaults to 30 minutes idle and 12 hours absolute', () => {
    const config = readConfig({});
    expect([config.sessionIdleMinutes, config.sessionMaxHours]).toEqual([30, 12]);
  });
  it('reads RELAIS_SESSION_IDLE_MINUTES and RELAIS_SESSION_MAX_HOURS, and names a bad one', () => {
    const config = readConfig({ RELAIS_SESSION_IDLE_MINUTES: '15', RELAIS_SESSION_MAX_HOURS: '8' });
    expect([config.sessionIdleMinutes, config.sessionMaxHours]).toEqual([15, 8]);
    expect(() => readConfig({ RELAIS_SESSION_IDLE_MINUTES: '0' })).toThrow(ConfigError);
    expect(() => readConfig({ RELAIS_SESSION_MAX_HOURS: 'twelve' })).toThrowError(/RELAIS_SESSION_MAX_HOURS/);
  });
});
