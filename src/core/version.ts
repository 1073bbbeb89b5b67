/** The build version reported by /__health; kept in step with package.json by a test. */
export const BUILD_VERSION = '0.1.0';
