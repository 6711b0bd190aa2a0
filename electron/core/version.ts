/** The app version, written into exports and shown in the UI. */
export const APP_VERSION = '0.1.0';
