// A single-page app: the server sends build/index.html for every path that is not the API.
export const ssr = false;
export const prerender = false;
