package simulator

import (
	"net/http"
	"strings"
)

// Endpoint names one route of the Management API, relative to
// /api/management/v0. Stats counts requests by Endpoint.
type Endpoint string

// The routes that the simulator serves. EndpointUnmatched counts requests
// that no route matched, which get 404 "Cannot METHOD PATH".
const (
	EndpointListModels       Endpoint = "GET /models"
	EndpointRegisterModel    Endpoint = "POST /models/register"
	EndpointListDeployments  Endpoint = "GET /models/deployments"
	EndpointGetModel         Endpoint = "GET /models/{id}"
	EndpointUpdateModel      Endpoint = "PATCH /models/{id}"
	EndpointDeleteModel      Endpoint = "DELETE /models/{id}"
	EndpointDeployModel      Endpoint = "POST /models/{id}/deploy"
	EndpointDeploymentStatus Endpoint = "GET /models/{deploymentId}/deployment-status"
	EndpointPauseDeployment  Endpoint = "POST /models/{deploymentId}/pause"
	EndpointCancelDeployment Endpoint = "POST /models/{deploymentId}/cancel"
	EndpointUnmatched        Endpoint = "unmatched"
)

// apiPrefix is the path under which the Management API is served.
const apiPrefix = "/api/management/v0"

type handlerFunc func(s *Simulator, w http.ResponseWriter, r *http.Request, param string)

// route is the outcome of matching a request: the endpoint, its handler (nil
// when nothing matched) and the path parameter, if any.
type route struct {
	endpoint Endpoint
	handler  handlerFunc
	param    string
}

// matchRoute maps a method and path to a route. Like Express, it ignores one
// trailing slash and serves HEAD with the GET route. The literal segments
// "register" and "deployments" win over the {id} parameter.
func matchRoute(method, path string) route {
	unmatched := route{endpoint: EndpointUnmatched}
	if method == http.MethodHead {
		method = http.MethodGet
	}

	rest, ok := strings.CutPrefix(path, apiPrefix+"/models")
	if !ok {
		return unmatched
	}
	rest = strings.TrimSuffix(rest, "/")

	if rest == "" {
		return onMethod(method, http.MethodGet, EndpointListModels, handleListModels, "")
	}

	rest, ok = strings.CutPrefix(rest, "/")
	if !ok {
		return unmatched
	}
	segments := strings.Split(rest, "/")

	switch len(segments) {
	case 1:
		return matchOneSegment(method, segments[0])
	case 2:
		return matchTwoSegments(method, segments[0], segments[1])
	}
	return unmatched
}

func matchOneSegment(method, segment string) route {
	switch {
	case segment == "":
		return route{endpoint: EndpointUnmatched}
	case segment == "register":
		return onMethod(method, http.MethodPost, EndpointRegisterModel, handleRegisterModel, "")
	case segment == "deployments":
		return onMethod(method, http.MethodGet, EndpointListDeployments, handleListDeployments, "")
	}

	switch method {
	case http.MethodGet:
		return route{endpoint: EndpointGetModel, handler: handleGetModel, param: segment}
	case http.MethodPatch:
		return route{endpoint: EndpointUpdateModel, handler: handleUpdateModel, param: segment}
	case http.MethodDelete:
		return route{endpoint: EndpointDeleteModel, handler: handleDeleteModel, param: segment}
	}
	return route{endpoint: EndpointUnmatched}
}

func matchTwoSegments(method, id, action string) route {
	if id == "" {
		return route{endpoint: EndpointUnmatched}
	}

	switch action {
	case "deploy":
		return onMethod(method, http.MethodPost, EndpointDeployModel, handleDeployModel, id)
	case "deployment-status":
		return onMethod(method, http.MethodGet, EndpointDeploymentStatus, handleDeploymentStatus, id)
	case "pause":
		return onMethod(method, http.MethodPost, EndpointPauseDeployment, handlePauseDeployment, id)
	case "cancel":
		return onMethod(method, http.MethodPost, EndpointCancelDeployment, handleCancelDeployment, id)
	}
	return route{endpoint: EndpointUnmatched}
}

func onMethod(method, want string, endpoint Endpoint, handler handlerFunc, param string) route {
	if method != want {
		return route{endpoint: EndpointUnmatched}
	}
	return route{endpoint: endpoint, handler: handler, param: param}
}
