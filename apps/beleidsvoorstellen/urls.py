app_name = "beleidsvoorstellen"
urlpatterns: list = []
