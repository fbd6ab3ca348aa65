"""Headers every page of a signed-in user carries: `Cache-Control: private, no-store`, so that no browser,
proxy or shared computer keeps a copy of a page or an export (payroll amounts, matricules in rules, minutes)
once the user has left it. Public pages keep their own rules (the sign-in page is never cached either)."""

from django.utils.cache import add_never_cache_headers, patch_cache_control


class PagesPrivees:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        return response
