#ifndef _UAPI_LINUX_FAKE_HMM_H
#define _UAPI_LINUX_FAKE_HMM_H
#define FAKE_HMM_PAGES 4
#endif
