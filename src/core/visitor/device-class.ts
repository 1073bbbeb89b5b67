/**
 * The device class (`mobile`, `tablet`, `desktop`, `bot`) from platform device detection, with a
 * linear user-agent fallback when the platform has no answer: plain `indexOf` checks over the
 * first 512 characters, bots first, then tablets, then phones, else desktop.
 */
import type { DeviceRecord } from '../ports.ts';

export const DEVICE_CLASSES = ['mobile', 'tablet', 'desktop', 'bot'] as const;
export type DeviceClass = (typeof DEVICE_CLASSES)[number];

export const MAX_USER_AGENT_SCAN = 512;

const BOT_MARKERS = ['bot', 'crawler', 'spider', 'slurp', 'headless', 'lighthouse', 'curl/', 'wget/'];
const TABLET_MARKERS = ['ipad', 'tablet', 'kindle', 'silk/', 'playbook'];
const MOBILE_MARKERS = ['mobi', 'iphone', 'ipod', 'android', 'windows phone', 'blackberry', 'opera mini'];

/** A definite platform answer wins (bot before tablet before mobile before desktop). */
export function deviceClass(record: DeviceRecord | null, userAgent: string): DeviceClass {
  if (record !== null) {
    if (record.isBot === true) return 'bot';
    if (record.isTablet === true) return 'tablet';
    if (record.isMobile === true) return 'mobile';
    if (record.isDesktop === true) return 'desktop';
  }
  return deviceClassFromUserAgent(userAgent);
}

export function deviceClassFromUserAgent(userAgent: string): DeviceClass {
  const ua = userAgent.slice(0, MAX_USER_AGENT_SCAN).toLowerCase();
  if (BOT.test(ua)) return 'bot';
  if (TABLET.test(ua)) return 'tablet';
  // Android tablets omit "Mobile" from the user agent (Google's UA guidance).
  if (ua.includes('android') && !ua.includes('mobi')) return 'tablet';
  if (MOBILE.test(ua)) return 'mobile';
  return 'desktop';
}

/**
 * Each marker list as one alternation: a RegExp runs natively in the Wasm guest, where `some` with
 * a callback per marker is interpreted, and this runs on every page view.
 */
function anyOf(markers: readonly string[]): RegExp {
  return new RegExp(markers.map((marker) => marker.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|'));
}

const BOT = anyOf(BOT_MARKERS);
const TABLET = anyOf(TABLET_MARKERS);
const MOBILE = anyOf(MOBILE_MARKERS);
