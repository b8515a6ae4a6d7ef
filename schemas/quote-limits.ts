/** How long or how many the customer's answers may be: for the checks' messages and for the forms themselves. */

export const MAX_CITY_LENGTH = 100;
export const MAX_EMAIL_LENGTH = 254;
export const MAX_DEPENDENTS = 12;
export const MAX_NAME_LENGTH = 100;
