import { describe, expect, it } from 'vitest';
import { deviceClass, deviceClassFromUserAgent } from '../../../src/core/visitor/device-class.ts';
import type { DeviceRecord } from '../../../src/core/ports.ts';

const record = (overrides: Partial<DeviceRecord>): DeviceRecord => ({ isMobile: null, isTablet: null, isDesktop: null, isBot: null, ...overrides });

describe('deviceClass', () => {
  it.each([
    { name: 'a platform bot', device: record({ isBot: true, isMobile: true }), expected: 'bot' },
    { name: 'a platform tablet', device: record({ isTablet: true, isMobile: true }), expected: 'tablet' },
    { name: 'a platform phone', device: record({ isMobile: true }), expected: 'mobile' },
    { name: 'a platform desktop', device: record({ isDesktop: true }), expected: 'desktop' },
  ])('trusts $name', ({ device, expected }) => {
    expect(deviceClass(device, 'Mozilla/5.0 (iPhone)')).toBe(expected);
  });

  it('falls back to the user agent when the platform has no answer', () => {
    expect(deviceClass(null, 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0)')).toBe('mobile');
    expect(deviceClass(record({ isMobile: false }), 'Googlebot/2.1')).toBe('bot');
  });
});

describe('deviceClassFromUserAgent', () => {
  it.each([
    { ua: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', expected: 'bot' },
    { ua: 'Mozilla/5.0 (compatible; bingbot/2.0)', expected: 'bot' },
    { ua: 'SomeCrawler/1.0', expected: 'bot' },
    { ua: 'Baiduspider', expected: 'bot' },
    { ua: 'Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) Mobile/15E148', expected: 'tablet' },
    { ua: 'Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 Chrome/120 Safari/537.36', expected: 'tablet' },
    { ua: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36', expected: 'mobile' },
    { ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148', expected: 'mobile' },
    { ua: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0.0.0 Safari/537.36', expected: 'desktop' },
    { ua: '', expected: 'desktop' },
  ])('classifies $ua as $expected', ({ ua, expected }) => {
    expect(deviceClassFromUserAgent(ua)).toBe(expected);
  });

  it('scans only the first 512 characters', () => {
    expect(deviceClassFromUserAgent(`${'x'.repeat(512)} Googlebot iPhone`)).toBe('desktop');
    expect(deviceClassFromUserAgent(`iPhone ${'x'.repeat(100_000)}`)).toBe('mobile');
  });
});
