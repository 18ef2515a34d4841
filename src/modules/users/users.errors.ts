export const usersErrorStatus = {
  invalid_credentials: 401,
  account_disabled: 403,
  csrf_failed: 403,
  too_many_attempts: 429,
  user_not_found: 404,
  user_email_taken: 409,
  invalid_current_password: 422,
  user_self_lockout: 422,
} as const;
