def espace(request):
    return {}
