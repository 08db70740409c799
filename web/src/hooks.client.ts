import type { HandleClientError } from '@sveltejs/kit';
import { ApiError } from '$lib/api/client';

// An API failure during a load (server down, contract drift) shows its own message, not "Internal Error".
export const handleError: HandleClientError = ({ error, message }) => {
  if (error instanceof ApiError) return { message: error.message, code: error.code };
  return { message };
};
