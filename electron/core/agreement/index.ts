export { agreementReport, type AgreementOptions, type AgreementReport, type Rating } from './report.ts';
export { cohenKappa, fleissKappa, krippendorffAlpha, type Figure } from './coefficients.ts';
