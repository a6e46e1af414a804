from query.filters import PUBLIC_ONLY, search_filters
from query.request import SearchRequest


def test_public_only_is_the_default():
    assert search_filters() == {"operator": "AND", "conditions": [PUBLIC_ONLY]}


def test_facets_are_anded_and_staff_see_restricted():
    filters = search_filters(SearchRequest(type="product", province="น่าน"), include_restricted=True)
    assert filters["conditions"] == [
        {"field": "meta.type", "operator": "==", "value": "product"},
        {"field": "meta.province", "operator": "==", "value": "น่าน"},
    ]
    assert search_filters(include_restricted=True) is None


def test_price_range_becomes_range_conditions_in_order():
    filters = search_filters(SearchRequest(q="ผ้าไหม", price_min=5000, price_max=500))
    assert {"field": "meta.price", "operator": ">=", "value": 500} in filters["conditions"]
    assert {"field": "meta.price", "operator": "<=", "value": 5000} in filters["conditions"]


def test_blank_filters_from_a_cleared_form_mean_any():
    assert SearchRequest(q="ปลา", province=" ", category="").filters_set() == {}
