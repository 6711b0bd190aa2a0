export { agreementReport, ratingColumnsOf, type AgreementOptions, type AgreementReport, type Rating, type RatingColumns } from './report.ts';
export { cohenKappa, fleissKappa, krippendorffAlpha, type Figure } from './coefficients.ts';
