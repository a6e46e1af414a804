from search_api.filters import PUBLIC_ONLY, search_filters


def test_public_only_is_the_default():
    assert search_filters() == {"operator": "AND", "conditions": [PUBLIC_ONLY]}


def test_facets_are_anded_and_staff_see_restricted():
    filters = search_filters(type="product", province="น่าน", include_restricted=True)
    assert filters["conditions"] == [
        {"field": "meta.type", "operator": "==", "value": "product"},
        {"field": "meta.province", "operator": "==", "value": "น่าน"},
    ]
    assert search_filters(include_restricted=True) is None
