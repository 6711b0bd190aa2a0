export { agreementReport, patternsOfColumns, ratingColumnsOf, type AgreementOptions, type AgreementReport, type Rating, type RatingColumns, type RatingPatterns } from './report.ts';
export { cohenKappa, fleissKappa, krippendorffAlpha, type Figure } from './coefficients.ts';
